import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "@cleanup-runner/cli";
import { leftAndLost, seedStudentSystem, startMoto, type Moto, type SeedResult } from "@cleanup-runner/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";

const manifest = new URL("../../manifests/student-system.yaml", import.meta.url).pathname;
// moto has no Amplify and no Personalize beyond schemas; against a real account (E2E_AWS=1) nothing is skipped.
const skip = (process.env.E2E_SKIP ?? (process.env.E2E_AWS === "1" ? "" : "amplify.app,personalize.dataset-group"))
  .split(",")
  .filter(Boolean)
  .flatMap((t) => ["--skip", t]);

/** Runs the real CLI in-process, capturing what it prints. */
async function runner(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const stdout = new PassThrough().on("data", (c: Buffer) => (out += c.toString()));
  const stderr = new PassThrough().on("data", (c: Buffer) => (err += c.toString()));
  const code = await runCli(
    args,
    { stdout, stderr, stdin: new PassThrough(), env: process.env },
    new AbortController().signal,
  );
  return { code, out, err };
}

describe("student-system end to end", () => {
  let moto: Moto | undefined;
  let seeded: SeedResult;
  const prefix = `e2e${Date.now().toString(36)}`;

  beforeAll(async () => {
    // AWS_ENDPOINT_URL set: that emulator; E2E_AWS=1: the account of the standard credential chain; else a moto of our own.
    if (!process.env.AWS_ENDPOINT_URL && process.env.E2E_AWS !== "1") {
      moto = await startMoto();
      Object.assign(process.env, {
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
      });
    }
    process.env.AWS_REGION ??= "us-east-1";
    seeded = await seedStudentSystem(
      { endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION },
      prefix,
    );
  });

  afterAll(async () => {
    if (moto) {
      delete process.env.AWS_ENDPOINT_URL;
      await moto.stop();
    }
  });

  it("seeds something to delete and decoys to keep", () => {
    expect(seeded.selected.length).toBeGreaterThan(5);
    expect(seeded.decoys.length).toBeGreaterThan(3);
  });

  it("apply --yes deletes every selected resource and leaves every decoy intact", async () => {
    const dir = await mkdtemp(join(tmpdir(), "e2e-"));
    const report = join(dir, "report.json");
    const result = await runner(["apply", manifest, "--yes", "--var", `prefix=${prefix}`, "--report", report, ...skip]);
    const { left, lost } = await leftAndLost(seeded);
    expect(left, result.out + result.err).toEqual([]);
    expect(lost).toEqual([]);
    expect(result.code, result.out + result.err).toBe(0);
    const written = JSON.parse(await readFile(report, "utf8"));
    expect(written.totals.failed).toBe(0);
    expect(written.apiCallTotal).toBeGreaterThan(0);
  });

  it("a second apply finds nothing left to delete", async () => {
    const result = await runner(["apply", manifest, "--yes", "--var", `prefix=${prefix}`, ...skip]);
    expect(result.code, result.out + result.err).toBe(0);
    expect(result.out).toMatch(/Nothing to delete|already gone/);
  });
});
