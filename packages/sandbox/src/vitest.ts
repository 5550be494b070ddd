/**
 * The moto server setup every integration test file shares:
 *
 * ```ts
 * const moto = useMoto();
 * const sns = () => moto.client(SNSClient);
 * const ctx = () => moto.context({ resource: topic });
 * ```
 *
 * Test code only: it registers vitest hooks.
 */
import type { ClientClass } from "@cleanup-runner/plugin-kit";
import { testContext, type TestContext, type TestContextSettings } from "@cleanup-runner/plugin-kit/testing";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startMoto, type Moto } from "./moto.js";
import { clientConfig } from "./seed/types.js";

/** The moto server of one test file (or one `describe`), as `useMoto()` hands it out. */
export interface MotoFixture {
  /** `http://127.0.0.1:PORT` of the running server; readable in hooks and tests, once `beforeAll` started it. */
  readonly endpoint: string;
  /** Wipes every resource of every service now; `useMoto` already does so before each test. */
  reset(): Promise<void>;
  /**
   * An SDK client for the emulator (`clientConfig`: dummy credentials, path-style S3), in `region`
   * (default `us-east-1`). One per class and region, destroyed when the server stops.
   */
  client<C>(clientClass: ClientClass<C>, region?: string): C;
  /** `testContext({ endpoint, ...settings })`: a resource context whose clients talk to the emulator. */
  context<O = Record<string, unknown>>(settings?: Omit<TestContextSettings, "endpoint">): TestContext<O>;
}

/**
 * Starts a moto server in `beforeAll`, resets it in `beforeEach` and stops it in `afterAll`
 * (hooks of the file or `describe` this is called in). Call it before registering hooks of
 * your own: with vitest's default `sequence.hooks: "stack"` they then run after the start and
 * the reset (seed in your `beforeEach`) and before the stop (restore `process.env` in your `afterAll`).
 */
export function useMoto(): MotoFixture {
  let moto: Moto | undefined;
  const clients = new Map<string, { destroy?: () => void }>();
  const running = (): Moto => {
    if (!moto) throw new Error("useMoto: the server starts in beforeAll; use it inside a hook or a test");
    return moto;
  };

  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    for (const client of clients.values()) client.destroy?.();
    clients.clear();
    await moto?.stop();
    moto = undefined;
  });
  beforeEach(async () => {
    await running().reset();
  });

  return {
    get endpoint() {
      return running().endpoint;
    },
    reset() {
      return running().reset();
    },
    client<C>(clientClass: ClientClass<C>, region = "us-east-1"): C {
      const key = `${clientClass.name}:${region}`;
      let client = clients.get(key) as C | undefined;
      if (!client) {
        client = new clientClass(clientConfig({ endpoint: running().endpoint, region }));
        clients.set(key, client as { destroy?: () => void });
      }
      return client;
    },
    context<O = Record<string, unknown>>(settings: Omit<TestContextSettings, "endpoint"> = {}): TestContext<O> {
      return testContext<O>({ endpoint: running().endpoint, ...settings });
    },
  };
}
