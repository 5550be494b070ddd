import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../program.js";
import { memoryIo } from "../testing/memory-io.js";

const repo = fileURLToPath(new URL("../../../../", import.meta.url));
const signal = new AbortController().signal;
const made: string[] = [];

afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

describe("runner plugins new", () => {
  it("scaffolds a plugin whose tests pass as generated, and a manifest can load it", async () => {
    // Inside the repository so the generated package resolves plugin-kit and the SDK from its node_modules.
    const dir = await mkdtemp(join(repo, ".scaffold-"));
    made.push(dir);
    const io = memoryIo();
    expect(await runCli(["plugins", "new", "queues", "--dir", dir], io, signal)).toBe(0);
    expect(io.out()).toContain("queues.queue");
    const pkg = JSON.parse(await readFile(join(dir, "queues", "package.json"), "utf8"));
    expect(pkg.name).toBe("cleanup-plugin-queues");

    const vitest = join(repo, "node_modules", "vitest", "vitest.mjs");
    const { stdout } = await promisify(execFile)(process.execPath, [vitest, "run"], {
      cwd: join(dir, "queues"),
      env: { ...process.env, CI: "true", NO_COLOR: "1" },
    });
    expect(stdout).toMatch(/Tests\s+6 passed/);

    const manifest = join(dir, "m.yaml");
    await import("node:fs/promises").then((fs) =>
      fs.writeFile(
        manifest,
        "apiVersion: cleanup-runner/v1\nname: q\nplugins: [./queues/src/index.ts]\nresources:\n  - { service: queues, type: queue, match: { prefix: w- } }\n",
      ),
    );
    const check = memoryIo();
    expect(await runCli(["validate", manifest], check, signal)).toBe(0);
    expect(check.out()).toContain("queues.queue");
  }, 120_000);

  it("refuses a bad name or a non-empty folder, exit 2", async () => {
    const dir = await mkdtemp(join(repo, ".scaffold-"));
    made.push(dir);
    const io = memoryIo();
    expect(await runCli(["plugins", "new", "Bad Name", "--dir", dir], io, signal)).toBe(2);
    expect(await runCli(["plugins", "new", "x", "--dir", dir], io, signal)).toBe(0);
    expect(await runCli(["plugins", "new", "x", "--dir", dir], io, signal)).toBe(2);
    expect(io.err()).toContain("not empty");
  });
});
