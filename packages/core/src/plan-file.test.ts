import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPlanFile } from "./plan-file.js";
import { planOf, planned } from "./testing/fake-cloud.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "plan-file-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("readPlanFile", () => {
  it("reads back a plan written as JSON, unchanged", async () => {
    const plan = planOf(
      [
        planned("fake.table", "t1", {
          found: { id: "t1", name: "t1", tags: { a: "b" }, createdAt: "2026-01-01T00:00:00.000Z", details: { n: 1 } },
          source: { file: "/m.yaml", line: 3, col: 5 },
          matrix: { student: "ann" },
          entry: 0,
        }),
        planned("fake.role", "r", { region: "global", action: "protected", reason: "AWS-managed" }),
        planned("fake.group", "g", {
          dependsOn: ["fake.table|us-east-1|t1"],
          companionOf: { key: "fake.table|us-east-1|t1", reason: "x" },
        }),
      ],
      {
        notices: [{ level: "warning", message: "w" }],
        paces: [{ budget: "fake:Delete", resources: 2, minimumMs: 30_000 }],
      },
    );
    const file = join(dir, "plan.json");
    await writeFile(file, JSON.stringify(plan, null, 2));
    expect(await readPlanFile(file)).toEqual(plan);
  });

  it("a missing file", async () => {
    await expect(readPlanFile(join(dir, "nope.json"))).rejects.toThrow(/nope\.json: not a readable plan \(ENOENT/);
  });

  it("a file that is not JSON", async () => {
    const file = join(dir, "m.yaml");
    await writeFile(file, "apiVersion: cleanup-runner/v1\n");
    await expect(readPlanFile(file)).rejects.toThrow(`${file}: not a readable plan (`);
  });

  it.each([
    ["a report", { version: 1, resources: [], startedAt: "x" }],
    ["another version", { version: 2, resources: [], accountId: "123456789012" }],
    ["no resources", { version: 1, accountId: "123456789012" }],
    ["null", null],
    ["a list", []],
  ])("JSON that is not a plan (%s)", async (_, content) => {
    const file = join(dir, "x.json");
    await writeFile(file, JSON.stringify(content));
    await expect(readPlanFile(file)).rejects.toThrow(`${file}: not a plan written by "runner plan --out" (version 1)`);
  });

  it("a resource that is not a planned resource, by index", async () => {
    const file = join(dir, "x.json");
    const plan = planOf([planned("fake.table", "t1")]);
    await writeFile(file, JSON.stringify({ ...plan, resources: [...plan.resources, { key: "k", type: "t" }] }));
    await expect(readPlanFile(file)).rejects.toThrow(`${file}: resources[1] is not a planned resource`);
    await writeFile(file, JSON.stringify({ ...plan, resources: [null] }));
    await expect(readPlanFile(file)).rejects.toThrow(`${file}: resources[0] is not a planned resource`);
  });
});
