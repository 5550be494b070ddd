/**
 * Bad input never gets a stack trace: random YAML and random near-valid
 * manifests always exit 2 with every problem located in the file, and never
 * create an AWS client.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsSession } from "@cleanup-runner/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { runCli } from "./program.js";
import { memoryIo } from "./testing/memory-io.js";

let dir: string;
const clientSpy = vi.spyOn(AwsSession.prototype, "client");
const identitySpy = vi.spyOn(AwsSession.prototype, "identity");
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fuzz-"));
});
afterAll(() => vi.restoreAllMocks());

const valid = () => ({
  apiVersion: "cleanup-runner/v1",
  name: "fuzz",
  vars: { prefix: "student" },
  target: { regions: ["us-east-1"], accounts: ["123456789012"] },
  resources: [
    { service: "s3", type: "bucket", match: { prefix: "${prefix}-" }, exclude: { names: ["keep"] } },
    { service: "dynamodb", type: "table", names: ["t"], options: { deleteBackups: true } },
    { service: "iam", type: "role", match: { tags: { workshop: "x" }, olderThan: "7d" } },
  ],
});

type Json = Record<string, unknown>;
/** The i-th entry, or a throwaway one when an earlier mistake removed the list. */
const entry = (m: Json, i: number): Json =>
  Array.isArray(m.resources) && typeof m.resources[i % 3] === "object" ? (m.resources[i % 3] as Json) : {};
/** One mistake a person could make, applied at a random place. */
const mistakes: ((m: Json, pick: number) => void)[] = [
  (m) => delete m.apiVersion,
  (m) => (m.apiVersion = "cleanup-runner/v2"),
  (m, i) => delete entry(m, i).service,
  (m, i) => {
    const e = entry(m, i);
    e.nmes = e.names ?? ["x"];
    delete e.names;
    delete e.match;
  },
  (m, i) => (entry(m, i).type = "bukket"),
  (m, i) => (entry(m, i).service = "s4"),
  (m, i) => (entry(m, i).match = { regex: "([" }),
  (m, i) => (entry(m, i).match = { olderThan: "yesterday" }),
  (m, i) => (entry(m, i).match = {}),
  (m, i) => (entry(m, i).options = { nonsense: 1 }),
  (m) => (entry(m, 1).options = { deleteBackups: "yes" }),
  (m, i) => (entry(m, i).names = "not-a-list"),
  (m) => ((m.target as Json).accounts = ["12345"]),
  (m) => ((m.target as Json).regions = "us-east-1"),
  (m, i) => (entry(m, i).match = { prefix: "${prefx}-" }),
  (m) => (m.extends = "./does-not-exist.yaml"),
  (m) => (m.resources = "none"),
  (m) => (m.vars = ["a"]),
  (m, i) => (m.unknownTopLevel = i),
];

let n = 0;
async function run(text: string, command: "validate" | "plan") {
  const file = join(dir, `m${n++}.yaml`);
  await writeFile(file, text);
  const io = memoryIo({ AWS_REGION: "us-east-1" });
  const code = await runCli([command, file], io, new AbortController().signal);
  return { code, err: io.err(), file };
}

function expectLocatedRefusal(result: { code: number; err: string; file: string }) {
  expect(result.code, result.err).toBe(2);
  expect(result.err).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack frame
  const lines = result.err.split("\n").filter((l) => l.startsWith("error"));
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines)
    expect(line).toMatch(new RegExp(`^error ${result.file.replace(/[.]/g, "\\.")}(:\\d+:\\d+)?`));
  expect(clientSpy).not.toHaveBeenCalled();
  expect(identitySpy).not.toHaveBeenCalled();
}

describe("manifest fuzzing", () => {
  it("random text never crashes the runner and is always refused with a located message", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.string({ unit: "binary" }),
          fc.jsonValue().map((v) => stringify(v)),
        ),
        async (text) => {
          expectLocatedRefusal(await run(text, "validate"));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("near-valid manifests (one to three mistakes) are refused with every problem located, before any AWS client exists", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(mistakes.length - 1), fc.nat(10)), { minLength: 1, maxLength: 3 }),
        fc.constantFrom("validate" as const, "plan" as const),
        async (picks, command) => {
          const m = valid() as Json;
          for (const [which, where] of picks) mistakes[which]!(m, where);
          expectLocatedRefusal(await run(stringify(m), command));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("the unmutated manifest is valid (so the mistakes above are what is refused)", async () => {
    const result = await run(stringify(valid()), "validate");
    expect(result.code, result.err).toBe(0);
  });
});
