/**
 * The whole student-system manifest, every service of it (Amplify and
 * Personalize included, which moto lacks), against mocked clients of every
 * service, under 20% throttling, 5% 5xx and 2% connection resets beneath a
 * model of the SDK's retries, on simulated time. The account is the one the
 * bench measures (bench/student-account.ts: the plugins' own fakes, seeded as
 * the workshop leaves an account), holding two students' copies: the
 * manifest selects one of them, and the other, with every decoy, must come
 * through untouched.
 */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import {
  applyPlan,
  AwsSession,
  exitCodeOf,
  FaultInjector,
  planManifest,
  VirtualClock,
  type Plan,
} from "@cleanup-runner/core";
import { mockClient } from "aws-sdk-client-mock";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildStudentAccount, type StudentAccount } from "../../bench/student-account.js";
import { recordingSessions, studentSystemManifest } from "./student-system-run.js";

const logger = pino({ level: "silent" });
const sts = mockClient(STSClient);
let clock: VirtualClock;
let account: StudentAccount;

beforeEach(async () => {
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/t" });
  clock = new VirtualClock();
  account = await buildStudentAccount(["c000", "c001"], clock, 2_000);
});
afterEach(() => account.restore());

/** A fault-free, read-only plan of one student's copy: what is still there. */
async function planOf(prefix: string): Promise<Plan> {
  const { manifest, registry } = await studentSystemManifest(prefix);
  const session = new AwsSession({ region: "us-east-1", readOnly: true });
  return clock.run(planManifest(manifest, ["us-east-1"], { registry, session, logger, clock }));
}

const namesOf = (plan: Plan) =>
  plan.resources.filter((r) => r.action === "delete").map((r) => `${r.type} ${r.found.name}`);

describe("the whole student-system manifest under faults, every service mocked", () => {
  it("deletes everything it selects, touches no other student's resource or decoy, and reports what happened", async () => {
    const { manifest, registry } = await studentSystemManifest("c000");
    const injector = new FaultInjector({ throttle: 0.2, serverError: 0.05, reset: 0.02 }, 2026, (ms) =>
      clock.sleep(ms),
    );
    const recorded = recordingSessions(injector);
    const { session, mutations } = recorded;
    const otherCopyBefore = namesOf(await planOf("c001"));

    const plan = await clock.run(
      planManifest(manifest, ["us-east-1"], { registry, session: session(true), logger, clock }),
    );
    expect(plan.notices.filter((n) => n.level === "error")).toEqual([]);
    const planned = namesOf(plan);
    // Every service of the manifest is in the plan, Amplify and Personalize too.
    expect(new Set(plan.resources.map((r) => r.type.split(".")[0]))).toEqual(
      new Set(manifest.entries.map((e) => e.type.split(".")[0])),
    );
    expect(planned.join("\n")).not.toMatch(/c001|other-/);

    const started = clock.now();
    const report = await clock.run(applyPlan(plan, { registry, session: session(false), logger, clock }));
    expect(exitCodeOf(report)).toBe(0);
    // Within the deadline: the Personalize chain's waits (about 16 minutes) set the pace, not the faults.
    expect(clock.elapsedSince(started)).toBeLessThan(30 * 60_000);

    // The faults really happened, of every kind asked for, and the engine rode them out.
    expect(injector.counts.throttle).toBeGreaterThan(50);
    expect(injector.counts.serverError).toBeGreaterThan(5);
    expect(injector.counts.reset).toBeGreaterThan(0);

    // The report's counts match what happened: a fresh plan of the same copy finds nothing left.
    expect(namesOf(await planOf("c000"))).toEqual([]);
    expect(report.totals.deleted + report.totals["already-gone"]).toBe(planned.length);
    expect(report.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual([...planned].sort());
    expect(report.apiCallTotal).toBe(recorded.applyCalls);

    // Nothing outside the plan was changed. The workshop's fixed-name resources, which both copies
    // share, went with the first copy, and with the shared event bus went every rule on it, the other
    // copy's too, as the plan showed. The rest of the other copy is all there, no decoy is lost, and
    // no mutating call named the other copy or a decoy, but for the rules on that bus.
    const shared = planned.filter((name) => !name.includes("c000"));
    const bus = plan.resources.find((r) => r.type === "eventbridge.event-bus")!;
    const rulesOnBus = otherCopyBefore.filter((name) => name.startsWith("eventbridge.rule c001-"));
    expect(rulesOnBus.length).toBeGreaterThan(0);
    expect(bus.found.children?.find((c) => c.kind === "rules")?.count).toBe(2 * rulesOnBus.length);
    const otherCopyAfter = namesOf(await planOf("c001"));
    expect(otherCopyAfter.sort()).toEqual(
      otherCopyBefore.filter((name) => !shared.includes(name) && !rulesOnBus.includes(name)).sort(),
    );
    expect(await account.decoysLost()).toEqual([]);
    expect(mutations.length).toBeGreaterThan(planned.length);
    const onSharedBus = (m: { input: string }) => m.input.includes(`"EventBusName":"${bus.found.name}"`);
    expect(
      mutations.filter((m) => /c001|other-project|other-team|shared-users-schema/.test(m.input) && !onSharedBus(m)),
    ).toEqual([]);
  }, 60_000);

  it("with every Amplify call denied: Amplify fails, naming the permission, every other service finishes, exit 1", async () => {
    const { manifest, registry } = await studentSystemManifest("c000");
    const injector = new FaultInjector({ deniedServices: ["Amplify"] }, 1, (ms) => clock.sleep(ms));
    const session = (readOnly: boolean) => new AwsSession({ region: "us-east-1", readOnly, faults: injector });
    const plan = await clock.run(
      planManifest(manifest, ["us-east-1"], { registry, session: session(true), logger, clock }),
    );
    const errors = plan.notices.filter((n) => n.level === "error");
    expect(errors.map((n) => n.type)).toEqual(["amplify.app"]);
    expect(errors[0]!.message).toContain("grant amplify:ListApps");

    const report = await clock.run(applyPlan(plan, { registry, session: session(false), logger, clock }));
    expect(exitCodeOf(report)).toBe(1);
    expect(report.totals.failed + report.totals.remaining + report.totals.blocked).toBe(0);
    expect(report.totals.deleted).toBe(plan.resources.filter((r) => r.action === "delete").length);
    // Every other service's share of the copy is gone; the Amplify app is all that is left of it.
    expect(namesOf(await planOf("c000"))).toEqual(["amplify.app c000-frontend"]);
  }, 60_000);
});
