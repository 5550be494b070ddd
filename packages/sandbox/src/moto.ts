import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** A running moto server on a loopback port. */
export interface Moto {
  /** `http://127.0.0.1:PORT`: give it to the SDK as `endpoint` / `AWS_ENDPOINT_URL`. */
  readonly endpoint: string;
  /** Wipes every resource of every service (POST /moto-api/reset). */
  reset(): Promise<void>;
  /** Stops the server; safe to call twice. */
  stop(): Promise<void>;
}

/** Thrown when `moto_server` is not installed; the message says how to get it. */
export class MotoMissingError extends Error {
  constructor(command: string) {
    super(
      `the local AWS emulator "${command}" was not found. Install it with:\n` +
        `  pip install "moto[server]"\n` +
        `then run this again (or set MOTO_SERVER to its path).`,
    );
    this.name = "MotoMissingError";
  }
}

/** Asks the OS for a free loopback port. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("no port"));
      });
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const started = Date.now();
  const state: { exitCode?: number } = {};
  child.once("exit", (code) => (state.exitCode = code ?? -1));
  for (;;) {
    if (state.exitCode !== undefined) {
      throw new Error(`moto_server exited with code ${state.exitCode} before it was ready`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`moto_server did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts moto server on a free loopback port (AWS-managed IAM policies
 * loaded) and waits until it answers.
 */
export async function startMoto(options: { command?: string; timeoutMs?: number } = {}): Promise<Moto> {
  const command = options.command ?? process.env.MOTO_SERVER ?? "moto_server";
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(command, ["-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const spawnError = new Promise<never>((_, reject) =>
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new MotoMissingError(command) : error),
    ),
  );
  try {
    await Promise.race([waitUntilUp(endpoint, child, options.timeoutMs ?? 30_000), spawnError]);
  } catch (error) {
    child.kill("SIGKILL");
    if (error instanceof MotoMissingError) throw error;
    throw new Error(`${(error as Error).message}\n${stderr}`, { cause: error });
  }
  let stopped = false;
  // A test run that ends without calling stop() must not leave an emulator behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  return {
    endpoint,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
      if (!response.ok) throw new Error(`moto reset answered ${response.status}`);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener("exit", killOnExit);
      const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exit;
      clearTimeout(timer);
    },
  };
}
