import { Value } from "@sinclair/typebox/value";
import pino from "pino";
import type { ClientClass, ResourceContext, ResourceType } from "./types.js";

/** What a test can read back from a context made by `testContext`. */
export interface TestContext<O> extends ResourceContext<O> {
  /** Every message the resource reported with `ctx.progress`. */
  readonly progressMessages: string[];
  /** Every wait the resource asked for with `ctx.sleep`, in ms. */
  readonly sleeps: number[];
  /** Every SDK call made through `ctx.client`, in order: `S3:ListBuckets`. */
  readonly calls: string[];
}

/** Settings of a test context; everything has a default. */
export interface TestContextSettings {
  /** The resource type whose options schema fills in defaults. */
  resource?: Pick<ResourceType, "options">;
  /** The entry's options, before defaults. */
  options?: Record<string, unknown>;
  /** Region of the context (default `us-east-1`). */
  region?: string;
  /** Account id (default `123456789012`). */
  accountId?: string;
  /** An emulator endpoint (moto server); clients then use it with path-style S3. */
  endpoint?: string;
  /** An abort signal to hand the resource. */
  signal?: AbortSignal;
}

/**
 * A ResourceContext for unit and integration tests of one resource type:
 * real SDK clients (which aws-sdk-client-mock intercepts, or which talk to an
 * emulator at `endpoint`), options with the type's defaults, instant sleeps (rejected once
 * `signal` is aborted, as the engine's are) that move its `now()` on.
 */
export function testContext<O = Record<string, unknown>>(settings: TestContextSettings = {}): TestContext<O> {
  const region = settings.region ?? "us-east-1";
  const clients = new Map<string, unknown>();
  const progressMessages: string[] = [];
  const sleeps: number[] = [];
  // Starts at a fixed instant and moves only with `sleep`, so that tests of time-bound reuse are exact.
  let clock = Date.UTC(2026, 0, 1);
  const calls: string[] = [];
  const signal = settings.signal ?? new AbortController().signal;
  const schema = settings.resource?.options;
  const options = (
    schema ? Value.Default(schema, structuredClone(settings.options ?? {})) : (settings.options ?? {})
  ) as O;
  return {
    region,
    accountId: settings.accountId ?? "123456789012",
    partition: "aws",
    options,
    logger: pino({ level: "silent" }),
    signal,
    progressMessages,
    sleeps,
    calls,
    client<C>(clientClass: ClientClass<C>, inRegion?: string): C {
      const key = `${clientClass.name}:${inRegion ?? region}`;
      let client = clients.get(key) as C | undefined;
      if (!client) {
        client = new clientClass({
          region: inRegion ?? region,
          credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
          maxAttempts: 1,
          ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
        });
        recordCalls(client as unknown as Sendable, clientClass.name.replace(/Client$/, ""), calls);
        clients.set(key, client);
      }
      return client;
    },
    progress(message: string) {
      progressMessages.push(message);
    },
    now() {
      return clock;
    },
    sleep(ms: number) {
      sleeps.push(ms);
      clock += ms;
      // Like the engine's: instant here, but rejects once the signal is aborted.
      if (signal.aborted) {
        const error = new Error("the run was interrupted");
        error.name = "AbortError";
        return Promise.reject(error);
      }
      return Promise.resolve();
    },
  };
}

interface Sendable {
  send: (this: void | Sendable, command: unknown, ...rest: unknown[]) => Promise<unknown>;
}

/** Wraps `send` on the instance, so calls are seen even when a mock answers them. */
function recordCalls(client: Sendable, service: string, calls: string[]): void {
  client.send = function send(command: unknown, ...rest: unknown[]) {
    calls.push(`${service}:${(command as object).constructor.name.replace(/Command$/, "")}`);
    return (Object.getPrototypeOf(client) as Sendable).send.call(client, command, ...rest);
  };
}

/** Collects an async iterable (a discover) into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
