/**
 * The student-system manifest against moto server under AWS's failure
 * modes: 20% throttling, 5% 5xx and 2% connection resets on every call
 * (beneath a model of the SDK's retries, as real faults arrive), then 100%
 * access denied on one service: the real wire protocol. Amplify and
 * Personalize are not emulated by moto and are left out here;
 * student-system.faults.test.ts runs the whole manifest, every service, on
 * mocked clients and simulated time under the same faults.
 */
import { applyPlan, exitCodeOf, FaultInjector, planManifest, type FaultRates } from "@cleanup-runner/core";
import { leftAndLost, seedStudentSystem } from "@cleanup-runner/sandbox";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordingSessions, studentSystemManifest } from "./student-system-run.js";

const notEmulated = new Set(["amplify.app", "personalize.dataset-group"]);
const logger = pino({ level: "silent" });
const moto = useMoto();
let saved: NodeJS.ProcessEnv;

beforeAll(async () => {
  saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
  });
});
afterAll(async () => {
  process.env = saved;
});

/** Plans and applies with faults on both sessions; records every mutating call's input. */
async function faultedRun(prefix: string, rates: FaultRates, seed: number) {
  const { manifest, registry } = await studentSystemManifest(prefix, notEmulated);
  const injector = new FaultInjector(rates, seed, (ms) => new Promise((r) => setTimeout(r, ms)), {
    maxAttempts: 5,
    baseDelayMs: 10, // the SDK's 100 ms, scaled down to keep the test short
  });
  const recorded = recordingSessions(injector);
  const { session } = recorded;
  const plan = await planManifest(manifest, ["us-east-1"], { registry, session: session(true), logger });
  const report = await applyPlan(
    plan,
    { registry, session: session(false), logger },
    { backoffMs: 100, maxBackoffMs: 2_000 },
  );
  return { plan, report, mutations: recorded.mutations, injector, applyCalls: recorded.applyCalls };
}

describe("the student-system manifest under faults", () => {
  it("converges to everything deleted under 20% throttling, 5% 5xx and 2% resets, touching nothing outside the plan", async () => {
    const seeded = await seedStudentSystem({ endpoint: moto.endpoint, region: "us-east-1" }, "student");
    const { plan, report, mutations, injector, applyCalls } = await faultedRun(
      "student",
      { throttle: 0.2, serverError: 0.05, reset: 0.02 },
      2026,
    );
    expect(plan.notices.filter((n) => n.level === "error")).toEqual([]);
    const { left, lost } = await leftAndLost(seeded);
    expect(left).toEqual([]);
    expect(lost).toEqual([]);
    expect(exitCodeOf(report)).toBe(0);

    // The faults really happened, and the engine rode them out.
    expect(injector.counts.throttle).toBeGreaterThan(10);
    expect(injector.counts.serverError + injector.counts.reset).toBeGreaterThan(2);

    // The report's counts match what happened.
    const toDelete = plan.resources.filter((r) => r.action === "delete").length;
    expect(report.totals.deleted + report.totals["already-gone"]).toBe(toDelete);
    expect(report.resources).toHaveLength(plan.resources.length);
    expect(report.apiCallTotal).toBe(applyCalls);

    // No call changed anything of a decoy (AWS-managed policies are detached from workshop roles by design).
    const decoyNames = seeded.decoys
      .filter((d) => !d.description.startsWith("iam.policy AWS"))
      .map((d) => d.description.split(" ").at(-1)!);
    for (const name of decoyNames) {
      expect(mutations.filter((m) => m.input.includes(`"${name}"`) || m.input.includes(`/${name}"`))).toEqual([]);
    }
  }, 300_000);

  it("with every DynamoDB call denied: DynamoDB fails clearly, naming the permission, every other service finishes, exit 1", async () => {
    const seeded = await seedStudentSystem({ endpoint: moto.endpoint, region: "us-east-1" }, "student");
    const { plan, report } = await faultedRun("student", { deniedServices: ["DynamoDB"] }, 1);
    const errors = plan.notices.filter((n) => n.level === "error");
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((n) => n.type === "dynamodb.table")).toBe(true);
    expect(errors[0]!.message).toContain("grant dynamodb:ListTables");
    const { left, lost } = await leftAndLost(seeded);
    expect(left.every((d) => d.startsWith("dynamodb"))).toBe(true);
    expect(left.length).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(report.totals.failed).toBe(0);
    expect(exitCodeOf(report)).toBe(1);
  }, 300_000);
});
