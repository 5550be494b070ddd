import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { ClientClass } from "@cleanup-runner/plugin-kit";
import type { FaultInjector } from "../faults.js";
import { isReadOnlyOperation } from "@cleanup-runner/plugin-kit";
import { CallLog } from "./call-log.js";

/** How to reach AWS for one run. */
export interface SessionSettings {
  /** The home region: where global types are planned, and the default target. */
  readonly region: string;
  /** An AWS profile of the shared config files (the SDK's credential chain otherwise). */
  readonly profile?: string;
  /**
   * True for `plan`: any call that is not a read (List/Describe/Get/Head...)
   * is refused before it leaves the process.
   */
  readonly readOnly: boolean;
  /** Extra client settings (tests: credentials, maxAttempts). */
  readonly clientConfig?: Record<string, unknown>;
  /**
   * Sees every call before it is sent (fault injection in tests and the
   * bench); may throw or delay. Never set in a normal run.
   */
  readonly beforeCall?: (service: string, operation: string, input: unknown) => Promise<void> | void;
  /**
   * Injects AWS's failure modes into every call (tests and the bench only),
   * beneath a model of the SDK's own retries, as real faults would arrive.
   */
  readonly faults?: FaultInjector;
}

/** The identity of the credentials. */
export interface Identity {
  readonly accountId: string;
  readonly arn: string;
  readonly partition: string;
}

/** Thrown when a read-only run is about to send a call that changes something. */
export class MutationRefusedError extends Error {
  constructor(service: string, operation: string) {
    super(`refused ${service} ${operation}: this run is read-only (plan never changes anything)`);
    this.name = "MutationRefusedError";
  }
}

interface Sendable {
  send: (this: void | Sendable, command: unknown, ...rest: unknown[]) => Promise<unknown>;
}

/**
 * Builds and caches the SDK clients of a run: region, profile, adaptive
 * retries, emulator endpoint (AWS_ENDPOINT_URL, read by the SDK itself, with
 * path-style S3), and a wrapper on `send` that counts every call and keeps
 * read-only runs read-only. The wrapper sits on `send` rather than in the
 * middleware stack so that it also sees calls answered by a mock.
 */
export class AwsSession {
  readonly calls = new CallLog();
  readonly #clients = new Map<string, unknown>();
  #identity: Promise<Identity> | undefined;

  constructor(readonly settings: SessionSettings) {}

  /** The home region. */
  get region(): string {
    return this.settings.region;
  }

  /** A cached client of `clientClass` for `region`. */
  client<C>(clientClass: ClientClass<C>, region: string = this.settings.region): C {
    const key = `${clientClass.name}@${region}`;
    const cached = this.#clients.get(key) as C | undefined;
    if (cached) return cached;
    const emulated = Boolean(process.env.AWS_ENDPOINT_URL ?? process.env.AWS_ENDPOINT_URL_S3);
    const client = new clientClass({
      region,
      retryMode: "adaptive",
      maxAttempts: 5,
      ...(this.settings.profile ? { profile: this.settings.profile } : {}),
      ...(emulated ? { forcePathStyle: true } : {}),
      ...this.settings.clientConfig,
    });
    this.#instrument(client as unknown as Sendable, clientClass.name.replace(/Client$/, ""));
    this.#clients.set(key, client);
    return client;
  }

  #instrument(client: Sendable, service: string): void {
    const prototypeSend = () => (Object.getPrototypeOf(client) as Sendable).send;
    const { calls, settings } = this;
    client.send = async function send(command: unknown, ...rest: unknown[]) {
      const operation = (command as object).constructor.name.replace(/Command$/, "");
      if (settings.readOnly && !isReadOnlyOperation(operation)) throw new MutationRefusedError(service, operation);
      calls.record(service, operation);
      await settings.beforeCall?.(service, operation, (command as { input?: unknown }).input);
      const sendIt = () => prototypeSend().call(client, command, ...rest);
      return settings.faults ? settings.faults.around(service, operation, sendIt) : sendIt();
    };
  }

  /** Who the credentials are (STS GetCallerIdentity, once per run). */
  identity(): Promise<Identity> {
    this.#identity ??= this.client(STSClient)
      .send(new GetCallerIdentityCommand({}))
      .then((answer) => {
        const arn = answer.Arn ?? "";
        return { accountId: answer.Account ?? "", arn, partition: arn.split(":")[1] || "aws" };
      })
      .catch((error: unknown) => {
        this.#identity = undefined; // a failed read (no credentials yet, a network blip) is not remembered
        throw error;
      });
    return this.#identity;
  }

  /** Releases the clients' sockets. */
  destroy(): void {
    for (const client of this.#clients.values()) (client as { destroy?: () => void }).destroy?.();
    this.#clients.clear();
  }
}

/** The SDK's own idea of the region (env, profile), or undefined when it has none. */
export async function defaultRegion(profile?: string): Promise<string | undefined> {
  const probe = new STSClient(profile ? { profile } : {});
  try {
    return await probe.config.region();
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}
