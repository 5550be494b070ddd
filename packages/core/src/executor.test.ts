import {
  DependencyPendingError,
  NotFoundError,
  ThrottledError,
  type ResourceType,
  type ResourceTypeName,
} from "@cleanup-runner/plugin-kit";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { systemClock } from "./clock.js";
import { applyPlan, exitCodeOf, type ApplyOptions } from "./engine.js";
import type { EngineEvent } from "./events.js";
import { resourceKey, type Plan, type PlannedResource } from "./plan.js";
import type { Registry } from "./registry.js";
import type { Report, ResourceReport } from "./report.js";
import {
  FakeCloud,
  fakeType,
  planOf,
  planned,
  registryOf,
  silentLogger,
  testSession,
  type FakeTypeSpec,
} from "./testing/fake-cloud.js";
import { mockSts } from "./testing/sts.js";

const sts = mockSts();
afterAll(() => sts.restore());

const R = "us-east-1";
const T0 = Date.parse("2026-06-01T00:00:00Z");
let cloud: FakeCloud;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
  cloud = new FakeCloud();
});
afterEach(() => {
  vi.useRealTimers();
});

interface RunExtras {
  signal?: AbortSignal;
  events?: (e: EngineEvent) => void;
}

/** Runs applyPlan, driving the fake clock until it settles. */
async function apply(
  plan: Plan,
  registry: Registry,
  options: ApplyOptions = {},
  extras: RunExtras = {},
): Promise<Report> {
  const session = testSession(false);
  const promise = applyPlan(
    plan,
    {
      registry,
      session,
      logger: silentLogger,
      clock: systemClock,
      ...(extras.signal ? { signal: extras.signal } : {}),
      ...(extras.events ? { events: extras.events } : {}),
    },
    { backoffMs: 1_000, ...options },
  );
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; !settled && i < 10_000; i++) await vi.advanceTimersToNextTimerAsync();
  return promise;
}

const outcomes = (report: Report) => Object.fromEntries(report.resources.map((r) => [r.id, r.outcome]));
const byId = (report: Report) => new Map<string, ResourceReport>(report.resources.map((r) => [r.id, r]));
const at = (ms: number) => T0 + ms;

/** A fake type, its registry, and a plan of every resource added for it. */
function setup(specs: FakeTypeSpec[], items: [ResourceTypeName, string, Partial<PlannedResource>?][]) {
  const types = specs.map((s) => fakeType(cloud, s));
  const resources = items.map(([type, id, extra]) => {
    const region = extra?.region ?? R;
    const spec = specs.find((s) => s.type === type)!;
    cloud.add(type, spec.scope === "global" ? "global" : region, { id });
    return planned(type, id, extra);
  });
  return { registry: registryOf(...types), plan: planOf(resources) };
}

const k = (type: string, id: string, region = R) => resourceKey(type, region, id);

/**
 * A plan of one fake.dataset whose delete is refused, with a check that says it waits until `endsAt` ms
 * into the run; `checkedAt` holds when each check ran, in ms from the start.
 */
function datasetPendingUntil(spec: Omit<FakeTypeSpec, "type">, endsAt: number) {
  const { registry, plan } = setup([{ type: "fake.dataset", ...spec }], [["fake.dataset", "d"]]);
  const checkedAt: number[] = [];
  cloud.items.get(k("fake.dataset", "d"))!.failures = [
    new DependencyPendingError("a training still runs", {
      stillPending: async () => (checkedAt.push(Date.now() - T0), Date.now() - T0 < endsAt),
    }),
  ];
  return { registry, plan, checkedAt };
}

describe("deleting a plan", () => {
  it("deletes and verifies every resource; protected ones are never passed to delete", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.table" }],
      [
        ["fake.table", "a"],
        ["fake.table", "b"],
        ["fake.table", "kept", { action: "protected", reason: "deletion protection" }],
      ],
    );
    const events: EngineEvent[] = [];
    const report = await apply(plan, registry, {}, { events: (e) => events.push(e) });
    expect(outcomes(report)).toEqual({ a: "deleted", b: "deleted", kept: "protected" });
    expect(byId(report).get("kept")!.reason).toBe("deletion protection");
    expect(byId(report).get("a")).toMatchObject({ attempts: 1, key: k("fake.table", "a"), name: "a", region: R });
    expect(cloud.left()).toEqual([k("fake.table", "kept")]);
    expect(
      cloud
        .callsOf("delete")
        .map((c) => c.id)
        .sort(),
    ).toEqual(["a", "b"]);
    expect(report.totals).toMatchObject({ deleted: 2, protected: 1, failed: 0 });
    expect(exitCodeOf(report)).toBe(0);
    expect(report.interrupted).toBe(false);
    expect(report.accountId).toBe("123456789012");
    const done = events.filter((e) => e.kind === "done").map((e) => (e.kind === "done" ? [e.key, e.outcome] : []));
    expect(done.sort()).toEqual([
      [k("fake.table", "a"), "deleted"],
      [k("fake.table", "b"), "deleted"],
    ]);
  });

  it("a dependent starts only after its dependency is verified gone", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.domain", pollIntervalMs: 2_000 }, { type: "fake.pool" }],
      [
        ["fake.domain", "d"],
        ["fake.pool", "p", { dependsOn: [k("fake.domain", "d")] }],
      ],
    );
    cloud.items.get(k("fake.domain", "d"))!.deletingPolls = 2;
    const report = await apply(plan, registry);
    expect(outcomes(report)).toEqual({ d: "deleted", p: "deleted" });
    const lastVerify = cloud.callsOf("verify", "d").at(-1)!;
    expect(cloud.callsOf("verify", "d")).toHaveLength(3);
    expect(cloud.callsOf("delete", "p")[0]!.at).toBeGreaterThanOrEqual(lastVerify.at);
    expect(cloud.callsOf("delete", "p")[0]!.at).toBe(at(4_000));
  });

  it("independent branches run at the same time", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.a" }, { type: "fake.b" }],
      [
        ["fake.a", "a1"],
        ["fake.a", "a2", { dependsOn: [k("fake.a", "a1")] }],
        ["fake.b", "b1"],
        ["fake.b", "b2", { dependsOn: [k("fake.b", "b1")] }],
      ],
    );
    for (const id of ["a1", "b1"]) cloud.items.get(k(`fake.${id[0]}`, id))!.deleteMs = 10_000;
    const report = await apply(plan, registry);
    expect(exitCodeOf(report)).toBe(0);
    expect(cloud.callsOf("delete", "a1")[0]!.at).toBe(at(0));
    expect(cloud.callsOf("delete", "b1")[0]!.at).toBe(at(0));
    expect(cloud.callsOf("delete", "a2")[0]!.at).toBe(at(10_000));
    expect(cloud.callsOf("delete", "b2")[0]!.at).toBe(at(10_000));
  });

  it("keeps the overall and per-service bounds on deletes in flight", async () => {
    const items: [ResourceTypeName, string][] = [];
    for (let i = 0; i < 8; i++) items.push(["svca.thing", `a${i}`], ["svcb.thing", `b${i}`], ["svcc.thing", `c${i}`]);
    const { registry, plan } = setup([{ type: "svca.thing" }, { type: "svcb.thing" }, { type: "svcc.thing" }], items);
    for (const item of cloud.items.values()) item.deleteMs = 1_000;
    const report = await apply(plan, registry, { concurrency: 5, perService: 2 });
    expect(report.totals.deleted).toBe(24);
    expect(cloud.maxInFlight).toBe(5);
    expect(Math.max(...cloud.maxInFlightByService.values())).toBe(2);
  });

  it("the default per-service bound is 4", async () => {
    const items: [ResourceTypeName, string][] = [];
    for (let i = 0; i < 10; i++) items.push(["svca.thing", `a${i}`]);
    const { registry, plan } = setup([{ type: "svca.thing" }], items);
    for (const item of cloud.items.values()) item.deleteMs = 1_000;
    await apply(plan, registry);
    expect(cloud.maxInFlight).toBe(4);
  });

  it("paces a rate budget (1 call per 30 s) while another type goes at once", async () => {
    const budget = { key: "fake:DeleteApi", calls: 1, perMs: 30_000, scope: "account" as const };
    const { registry, plan } = setup(
      [{ type: "fake.api", rateBudgets: [budget] }, { type: "fake.table" }],
      [
        ["fake.api", "a1"],
        ["fake.api", "a2"],
        ["fake.api", "a3", { region: "eu-west-1" }], // the budget is per account
        ["fake.table", "t1"],
        ["fake.table", "t2"],
        ["fake.table", "t3"],
      ],
    );
    const report = await apply(plan, registry);
    expect(exitCodeOf(report)).toBe(0);
    const apiTimes = cloud
      .callsOf("delete")
      .filter((c) => c.type === "fake.api")
      .map((c) => c.at - T0);
    expect(apiTimes).toEqual([0, 30_000, 60_000]);
    expect(
      cloud
        .callsOf("delete")
        .filter((c) => c.type === "fake.table")
        .map((c) => c.at - T0),
    ).toEqual([0, 0, 0]);
  });

  it("a regional budget is kept per region", async () => {
    const budget = { key: "fake:DeleteApi", calls: 1, perMs: 30_000, scope: "region" as const };
    const { registry, plan } = setup(
      [{ type: "fake.api", rateBudgets: [budget] }],
      [
        ["fake.api", "a1"],
        ["fake.api", "a2"],
        ["fake.api", "e1", { region: "eu-west-1" }],
      ],
    );
    await apply(plan, registry);
    const times = Object.fromEntries(cloud.callsOf("delete").map((c) => [c.id, c.at - T0]));
    expect(times).toEqual({ a1: 0, a2: 30_000, e1: 0 });
  });

  it("time spent waiting for a rate budget does not count against the deadline", async () => {
    const budget = { key: "fake:DeleteApi", calls: 1, perMs: 30_000, scope: "account" as const };
    const { registry, plan } = setup(
      [{ type: "fake.api", rateBudgets: [budget], deadlineMs: 40_000, pollIntervalMs: 2_000 }],
      [
        ["fake.api", "a1"],
        ["fake.api", "a2"],
        ["fake.api", "a3"],
      ],
    );
    for (const item of cloud.items.values()) item.deletingPolls = 1;
    const report = await apply(plan, registry);
    expect(outcomes(report)).toEqual({ a1: "deleted", a2: "deleted", a3: "deleted" });
    expect(byId(report).get("a3")!.durationMs).toBe(2_000);
  });
});

describe("retries and failures", () => {
  it("retries Throttled with backoff, then succeeds", async () => {
    const { registry, plan } = setup([{ type: "fake.table" }], [["fake.table", "t"]]);
    cloud.items.get(k("fake.table", "t"))!.failures = [
      new ThrottledError("slow down"),
      Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }),
      Object.assign(new Error("busy"), { name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } }),
    ];
    const report = await apply(plan, registry, { backoffMs: 1_000, maxBackoffMs: 3_000 });
    expect(byId(report).get("t")).toMatchObject({ outcome: "deleted", attempts: 4 });
    const gaps = cloud
      .callsOf("delete")
      .map((c) => c.at)
      .map((t, i, all) => (i ? t - all[i - 1]! : 0))
      .slice(1);
    // backoff 1 s, 2 s, then capped at 3 s; each with jitter of at most half
    expect(gaps[0]).toBeGreaterThanOrEqual(500);
    expect(gaps[0]).toBeLessThanOrEqual(1_000);
    expect(gaps[1]).toBeGreaterThanOrEqual(1_000);
    expect(gaps[1]).toBeLessThanOrEqual(2_000);
    expect(gaps[2]).toBeGreaterThanOrEqual(1_500);
    expect(gaps[2]).toBeLessThanOrEqual(3_000);
  });

  it("retries DependencyPending until what it waits for is gone", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.rule" }, { type: "fake.bus" }],
      [
        ["fake.bus", "bus"],
        ["fake.rule", "rule"],
      ],
    );
    // no declared edge: the bus refuses until its rule is gone, which takes a while
    cloud.items.get(k("fake.bus", "bus"))!.pendingUntilGone = k("fake.rule", "rule");
    cloud.items.get(k("fake.rule", "rule"))!.deleteMs = 5_000;
    const report = await apply(plan, registry);
    expect(outcomes(report)).toEqual({ bus: "deleted", rule: "deleted" });
    expect(byId(report).get("bus")!.attempts).toBeGreaterThan(1);
    expect(cloud.left()).toEqual([]);
  });

  it("polls a pending delete's own check instead of attempting the delete again, at the type's poll", async () => {
    const { registry, plan } = setup([{ type: "fake.dataset", pollIntervalMs: 60_000 }], [["fake.dataset", "d"]]);
    let checks = 0;
    const checkedAt: number[] = [];
    cloud.items.get(k("fake.dataset", "d"))!.failures = [
      new DependencyPendingError("import job still running", {
        stillPending: async () => {
          checkedAt.push(Date.now() - T0);
          return ++checks < 4; // the import job ends at the fourth check
        },
      }),
    ];
    const report = await apply(plan, registry);
    expect(byId(report).get("d")!.outcome).toBe("deleted");
    expect(checks).toBe(4);
    // one refused attempt, then the delete again only once the check said the job had ended
    expect(byId(report).get("d")!.attempts).toBe(2);
    expect(cloud.calls.filter((c) => c.op === "delete").map((c) => c.at - T0)).toEqual([0, checkedAt[3]]);
    // a check reads something asynchronous (a job, a training): every poll of the type, as a delete is
    // polled, not on the backoff from a second that an attempt takes (1, 2, 4 s: reads of a job of minutes)
    expect(checkedAt).toEqual([60_000, 120_000, 180_000, 240_000]);
  });

  it("spaces a pending delete's checks to a quarter of the time waited once that is longer than the poll", async () => {
    const { registry, plan, checkedAt } = datasetPendingUntil(
      { pollIntervalMs: 60_000, deadlineMs: 3_600_000 },
      10 * 60_000,
    );
    await apply(plan, registry);
    const gaps = checkedAt.map((t, i) => t - (i === 0 ? 0 : checkedAt[i - 1]!));
    // every minute for the first four, then a quarter of the time waited: 4 min -> 5 -> 6.25 -> ...
    expect(gaps.slice(0, 5)).toEqual([60_000, 60_000, 60_000, 60_000, 60_000]);
    expect(gaps.slice(5, 7)).toEqual([75_000, 93_750]);
    expect(checkedAt.at(-1)).toBeGreaterThanOrEqual(10 * 60_000);
  });

  it("after a long wait on a check, a throttled attempt is retried after the first backoff, not one the wait grew", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.dataset", pollIntervalMs: 60_000, deadlineMs: 3_600_000 }],
      [["fake.dataset", "d"]],
    );
    cloud.items.get(k("fake.dataset", "d"))!.failures = [
      new DependencyPendingError("a training still runs", { stillPending: async () => Date.now() - T0 < 20 * 60_000 }),
      new ThrottledError("Rate exceeded"),
    ];
    const report = await apply(plan, registry);
    expect(byId(report).get("d")!.outcome).toBe("deleted");
    const deletes = cloud.calls.filter((c) => c.op === "delete").map((c) => c.at - T0);
    expect(deletes).toHaveLength(3);
    expect(deletes[1]).toBeGreaterThanOrEqual(20 * 60_000);
    // the first backoff (1 s, jittered), not the five minutes a quarter of the wait would give
    expect(deletes[2]! - deletes[1]!).toBeLessThanOrEqual(1_000);
  });

  it("cuts a check's last wait to the deadline, so that the wait is read once more before it gives up", async () => {
    const { registry, plan, checkedAt } = datasetPendingUntil({ pollIntervalMs: 120_000, deadlineMs: 90_000 }, 10_000);
    const report = await apply(plan, registry);
    // the job ended at 10 s; a poll of 2 minutes would pass the deadline of 90 s, so it is read at 90 s
    expect(checkedAt).toEqual([90_000]);
    expect(byId(report).get("d")!.outcome).toBe("deleted");
  });

  it("a long wait is checked at a quarter of the time waited once that passes the poll", async () => {
    const endsAt = 2 * 3_600_000; // a training of two hours
    const { registry, plan, checkedAt } = datasetPendingUntil({ deadlineMs: 3 * 3_600_000 }, endsAt);
    const report = await apply(plan, registry);
    expect(byId(report).get("d")!.outcome).toBe("deleted");
    // checks 30 s apart would be 240; growing with the wait, a few dozen
    expect(checkedAt.length).toBeLessThan(40);
    // seen over at most a quarter of the wait late
    expect(checkedAt.at(-1)!).toBeGreaterThanOrEqual(endsAt);
    expect(checkedAt.at(-1)!).toBeLessThanOrEqual(endsAt * 1.25);
  });

  it("attempts the delete when the pending check fails, and gives up at the deadline while it holds", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.dataset" }, { type: "fake.group", deadlineMs: 20_000 }],
      [
        ["fake.dataset", "d"],
        ["fake.group", "g"],
      ],
    );
    cloud.items.get(k("fake.dataset", "d"))!.failures = [
      new DependencyPendingError("waits", {
        stillPending: () => Promise.reject(new Error("DescribeDatasetImportJob: throttled")),
      }),
    ];
    let groupChecks = 0;
    cloud.items.get(k("fake.group", "g"))!.failures = [
      new DependencyPendingError("a training still runs", { stillPending: async () => (++groupChecks, true) }),
    ];
    const report = await apply(plan, registry);
    expect(byId(report).get("d")).toMatchObject({ outcome: "deleted", attempts: 2 });
    const g = byId(report).get("g")!;
    expect(g).toMatchObject({ outcome: "remaining", attempts: 1 });
    expect(g.reason).toMatch(/a training still runs/);
    expect(groupChecks).toBeGreaterThan(2);
    expect(cloud.has("fake.group", R, "g")).toBe(true);
  });

  it("gives up at the deadline: remaining, exit code 1", async () => {
    const { registry, plan } = setup([{ type: "fake.table" }], [["fake.table", "t"]]);
    cloud.items.get(k("fake.table", "t"))!.failures = Array.from(
      { length: 100 },
      () => new ThrottledError("slow down"),
    );
    const report = await apply(plan, registry, { deadlineMs: 10_000 });
    const t = byId(report).get("t")!;
    expect(t.outcome).toBe("remaining");
    expect(t.reason).toMatch(/slow down/);
    expect(t.attempts).toBeGreaterThan(2);
    expect(t.durationMs).toBeLessThanOrEqual(10_000);
    expect(exitCodeOf(report)).toBe(1);
    expect(cloud.has("fake.table", R, "t")).toBe(true);
  });

  it("a type's own deadline applies when the run sets none", async () => {
    const { registry, plan } = setup([{ type: "fake.table", deadlineMs: 3_000 }], [["fake.table", "t"]]);
    cloud.items.get(k("fake.table", "t"))!.failures = Array.from({ length: 100 }, () => new ThrottledError("slow"));
    const report = await apply(plan, registry);
    expect(byId(report).get("t")!.outcome).toBe("remaining");
    expect(Date.now() - T0).toBeLessThanOrEqual(3_000);
  });

  it("a resource still deleting at its deadline is remaining", async () => {
    const { registry, plan } = setup([{ type: "fake.table", pollIntervalMs: 1_000 }], [["fake.table", "t"]]);
    cloud.items.get(k("fake.table", "t"))!.deletingPolls = 1_000;
    const report = await apply(plan, registry, { deadlineMs: 5_000 });
    expect(byId(report).get("t")).toMatchObject({ outcome: "remaining", reason: "still deleting at the deadline" });
  });

  it("AccessDenied fails fast with the denied action; the others are still deleted", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.table" }],
      [
        ["fake.table", "a"],
        ["fake.table", "denied"],
        ["fake.table", "b"],
      ],
    );
    cloud.items.get(k("fake.table", "denied"))!.denied = "fake:DeleteTable";
    const report = await apply(plan, registry);
    expect(outcomes(report)).toEqual({ a: "deleted", denied: "failed", b: "deleted" });
    expect(byId(report).get("denied")).toMatchObject({ deniedAction: "fake:DeleteTable", attempts: 1 });
    expect(exitCodeOf(report)).toBe(1);
  });

  it("an SDK AccessDenied error names the action too", async () => {
    const { registry, plan } = setup([{ type: "fake.table" }], [["fake.table", "t"]]);
    cloud.items.get(k("fake.table", "t"))!.failures = [
      Object.assign(new Error("User: x is not authorized to perform: fake:DeleteTable on resource: t"), {
        name: "AccessDeniedException",
      }),
    ];
    const report = await apply(plan, registry);
    expect(byId(report).get("t")).toMatchObject({ outcome: "failed", deniedAction: "fake:DeleteTable" });
  });

  it("an AccessDenied of another copy of plugin-kit names the action too", async () => {
    const { registry, plan } = setup([{ type: "fake.table" }], [["fake.table", "t"]]);
    // A plugin with its own plugin-kit throws classified errors that are no instance of this copy's classes.
    cloud.items.get(k("fake.table", "t"))!.failures = [
      Object.assign(new Error("denied"), {
        name: "AccessDeniedError",
        kind: "access-denied",
        retryable: false,
        action: "fake:DeleteTable",
      }),
    ];
    const report = await apply(plan, registry);
    expect(byId(report).get("t")).toMatchObject({ outcome: "failed", deniedAction: "fake:DeleteTable" });
  });

  it("a fatal error fails the resource at once", async () => {
    const { registry, plan } = setup([{ type: "fake.table" }], [["fake.table", "t"]]);
    cloud.items.get(k("fake.table", "t"))!.failures = [new Error("ValidationException: nope")];
    const report = await apply(plan, registry);
    expect(byId(report).get("t")).toMatchObject({ outcome: "failed", attempts: 1 });
    expect(byId(report).get("t")!.reason).toMatch(/nope/);
  });

  it("a failure blocks what depends on it, transitively", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.a" }, { type: "fake.b" }, { type: "fake.c" }],
      [
        ["fake.a", "a"],
        ["fake.b", "b", { dependsOn: [k("fake.a", "a")] }],
        ["fake.c", "c", { dependsOn: [k("fake.b", "b")] }],
        ["fake.c", "free"],
      ],
    );
    cloud.items.get(k("fake.a", "a"))!.denied = "fake:DeleteA";
    const report = await apply(plan, registry);
    expect(outcomes(report)).toEqual({ a: "failed", b: "blocked", c: "blocked", free: "deleted" });
    expect(byId(report).get("b")!.reason).toBe("waits for fake.a a, which is failed");
    expect(byId(report).get("c")!.reason).toBe("waits for fake.b b, which is blocked");
    expect(
      cloud
        .callsOf("delete")
        .map((c) => c.id)
        .sort(),
    ).toEqual(["a", "free"]);
  });

  it("a type-level dependency is one barrier: every resource of the type waits until all of the other type went", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.domain" }, { type: "fake.pool", dependsOn: ["fake.domain"] }],
      [
        ["fake.domain", "quick"],
        ["fake.domain", "slow"],
        ["fake.pool", "p1"],
        ["fake.pool", "p2"],
      ],
    );
    cloud.items.get(k("fake.domain", "slow"))!.deleteMs = 10_000;
    const report = await apply(plan, registry);
    expect(exitCodeOf(report)).toBe(0);
    for (const id of ["p1", "p2"]) expect(cloud.callsOf("delete", id)[0]!.at).toBe(at(10_000));
  });

  it("a type barrier with a failure behind it blocks every resource waiting at it, saying which", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.domain" }, { type: "fake.pool", dependsOn: ["fake.domain"] }, { type: "fake.other" }],
      [
        ["fake.domain", "good"],
        ["fake.domain", "bad"],
        ["fake.pool", "p1"],
        ["fake.pool", "p2"],
        ["fake.other", "o"],
      ],
    );
    cloud.items.get(k("fake.domain", "bad"))!.denied = "fake:DeleteDomain";
    const report = await apply(plan, registry);
    expect(outcomes(report)).toEqual({ good: "deleted", bad: "failed", p1: "blocked", p2: "blocked", o: "deleted" });
    expect(byId(report).get("p1")!.reason).toBe("waits for every fake.domain, and bad is failed");
    expect(cloud.callsOf("delete", "p1")).toEqual([]);
  });

  it("a dependency on a protected resource does not block", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.a" }],
      [
        ["fake.a", "kept", { action: "protected", reason: "managed" }],
        ["fake.a", "x", { dependsOn: [k("fake.a", "kept")] }],
      ],
    );
    const report = await apply(plan, registry);
    expect(outcomes(report)).toEqual({ kept: "protected", x: "deleted" });
  });

  it("a cycle in the plan is reported blocked, nothing in it deleted", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.a" }],
      [
        ["fake.a", "x", { dependsOn: [k("fake.a", "y")] }],
        ["fake.a", "y", { dependsOn: [k("fake.a", "x")] }],
        ["fake.a", "z"],
      ],
    );
    const report = await apply(plan, registry);
    expect(outcomes(report)).toEqual({ x: "blocked", y: "blocked", z: "deleted" });
    expect(byId(report).get("x")!.reason).toBe("part of a dependency cycle");
  });

  it("a type no loaded plugin has fails", async () => {
    const { registry } = setup([{ type: "fake.a" }], []);
    const report = await apply(planOf([planned("gone.type", "x")]), registry);
    expect(byId(report).get("x")).toMatchObject({ outcome: "failed", reason: "no loaded plugin has gone.type" });
  });

  it("verify errors: retryable ones keep polling, NotFound means gone, others fail", async () => {
    const errors: Record<string, Error[]> = {
      flaky: [new ThrottledError("slow")],
      notfound: [new NotFoundError("no such thing")],
      broken: [new Error("boom")],
    };
    const base = fakeType(cloud, { type: "fake.a", pollIntervalMs: 1_000 });
    const type: ResourceType = {
      ...base,
      async verify(ctx, found) {
        const next = errors[found.id]?.shift();
        if (next) throw next;
        return base.verify(ctx, found);
      },
    };
    for (const id of Object.keys(errors)) cloud.add("fake.a", R, { id });
    const report = await apply(planOf(Object.keys(errors).map((id) => planned("fake.a", id))), registryOf(type));
    expect(outcomes(report)).toEqual({ flaky: "deleted", notfound: "deleted", broken: "failed" });
  });
});

describe("idempotence", () => {
  it("NotFound on the first attempt is already-gone; a rerun over the same cloud reports all already-gone", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.a" }, { type: "fake.b" }],
      [
        ["fake.a", "a"],
        ["fake.b", "b", { dependsOn: [k("fake.a", "a")] }],
      ],
    );
    cloud.items.delete(k("fake.a", "a")); // deleted by someone else since the plan
    const first = await apply(plan, registry);
    expect(outcomes(first)).toEqual({ a: "already-gone", b: "deleted" });
    expect(byId(first).get("a")!.attempts).toBe(1);
    const second = await apply(plan, registry);
    expect(outcomes(second)).toEqual({ a: "already-gone", b: "already-gone" });
    expect(exitCodeOf(second)).toBe(0);
  });

  it("NotFound after a retry counts as deleted", async () => {
    const { registry, plan } = setup([{ type: "fake.a" }], [["fake.a", "a"]]);
    const item = cloud.items.get(k("fake.a", "a"))!;
    item.failures = [new ThrottledError("slow")];
    item.deleteMs = 10; // first attempt throttled; someone else deletes it meanwhile
    setTimeout(() => cloud.items.delete(k("fake.a", "a")), 50);
    const report = await apply(plan, registry);
    expect(byId(report).get("a")).toMatchObject({ outcome: "deleted", attempts: 2 });
  });

  it("recheck: a resource of a frozen plan already gone is already-gone with no delete attempt", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.a" }],
      [
        ["fake.a", "gone"],
        ["fake.a", "here"],
      ],
    );
    cloud.items.delete(k("fake.a", "gone"));
    const report = await apply(plan, registry, { recheck: true });
    expect(byId(report).get("gone")).toMatchObject({ outcome: "already-gone", attempts: 0 });
    expect(byId(report).get("here")).toMatchObject({ outcome: "deleted", attempts: 1 });
    expect(cloud.callsOf("delete").map((c) => c.id)).toEqual(["here"]);
  });

  it("recheck: a verify that says NotFound by throwing is already-gone too", async () => {
    const base = fakeType(cloud, { type: "fake.a" });
    const type: ResourceType = {
      ...base,
      verify: (ctx, found) =>
        cloud.has("fake.a", R, found.id) ? base.verify(ctx, found) : Promise.reject(new NotFoundError("no")),
    };
    const report = await apply(planOf([planned("fake.a", "gone")]), registryOf(type), { recheck: true });
    expect(byId(report).get("gone")).toMatchObject({ outcome: "already-gone", attempts: 0 });
  });
});

describe("async deletes", () => {
  /**
   * `base` whose delete returns at once and whose resource is gone `goneAfterMs` after it;
   * `readAt` holds when each verify read came, counted from the delete.
   */
  function goneAfter(base: ResourceType, goneAfterMs: number, deletesAsynchronously: boolean) {
    let deletedAt = 0;
    const readAt: number[] = [];
    const type: ResourceType = {
      ...base,
      deletesAsynchronously,
      delete: async () => void (deletedAt = Date.now()),
      verify: async () => (
        readAt.push(Date.now() - deletedAt),
        Date.now() - deletedAt < goneAfterMs ? "deleting" : "gone"
      ),
    };
    return { type, readAt };
  }

  it("polls verify while deleting, then reports deleted", async () => {
    const { registry, plan } = setup([{ type: "fake.table", pollIntervalMs: 5_000 }], [["fake.table", "t"]]);
    cloud.items.get(k("fake.table", "t"))!.deletingPolls = 3;
    const events: EngineEvent[] = [];
    const report = await apply(plan, registry, {}, { events: (e) => events.push(e) });
    expect(byId(report).get("t")).toMatchObject({ outcome: "deleted", attempts: 1, durationMs: 15_000 });
    expect(cloud.callsOf("verify", "t").map((c) => c.at - T0)).toEqual([0, 5_000, 10_000, 15_000]);
    expect(events.filter((e) => e.kind === "progress")).toHaveLength(3);
  });

  it("a delete that returns before the resource is gone is first read a poll later", async () => {
    const { registry, plan } = setup([{ type: "fake.table", pollIntervalMs: 5_000 }], [["fake.table", "t"]]);
    const type: ResourceType = { ...registry.get("fake.table")!, deletesAsynchronously: true };
    cloud.items.get(k("fake.table", "t"))!.deletingPolls = 2;
    const report = await apply(plan, registryOf(type));
    expect(byId(report).get("t")).toMatchObject({ outcome: "deleted", durationMs: 15_000 });
    // no read at 0, where it could only say "deleting"
    expect(cloud.callsOf("verify", "t").map((c) => c.at - T0)).toEqual([5_000, 10_000, 15_000]);
  });

  it("such a delete is read at once when a poll would pass the deadline", async () => {
    const { registry, plan } = setup([{ type: "fake.table", pollIntervalMs: 5_000 }], [["fake.table", "t"]]);
    const type: ResourceType = { ...registry.get("fake.table")!, deletesAsynchronously: true };
    const report = await apply(plan, registryOf(type), { deadlineMs: 3_000 });
    expect(byId(report).get("t")).toMatchObject({ outcome: "deleted", durationMs: 0 });
    expect(cloud.callsOf("verify", "t").map((c) => c.at - T0)).toEqual([0]);
  });

  it("polls a delete of many minutes at a quarter of the time waited, once that passes the interval", async () => {
    const base = fakeType(cloud, { type: "fake.campaign", pollIntervalMs: 5_000, deadlineMs: 3_600_000 });
    // gone 20 minutes after its delete
    const { type, readAt } = goneAfter(base, 1_200_000, false);
    cloud.add("fake.campaign", R, { id: "c" });
    const report = await apply(planOf([planned("fake.campaign", "c")]), registryOf(type));
    expect(byId(report).get("c")).toMatchObject({ outcome: "deleted" });
    // every 5 s until 20 s have passed, then each gap a quarter of the time since the delete
    expect(readAt.slice(0, 5)).toEqual([0, 5_000, 10_000, 15_000, 20_000]);
    expect(readAt[5]).toBe(25_000);
    expect(readAt[6]).toBe(25_000 + 25_000 / 4);
    // 240 reads at a fixed 5 s; a few dozen like this, seen gone at most a quarter late
    expect(readAt.length).toBeLessThan(40);
    expect(readAt.at(-1)!).toBeLessThanOrEqual(1_200_000 * 1.25);
  });

  it("reads a delete nothing waits for yet at a slower pace, and at once when something comes to wait for it", async () => {
    // fake.after waits for both types; the slow delete takes 5 minutes to return, the quick one's
    // resource is gone 400 s after its delete returned
    const quickBase = fakeType(cloud, { type: "fake.quick", pollIntervalMs: 5_000 });
    const slow = fakeType(cloud, { type: "fake.slow" });
    const after = fakeType(cloud, { type: "fake.after", dependsOn: ["fake.quick", "fake.slow"] });
    const { type: quick, readAt } = goneAfter(quickBase, 400_000, true);
    cloud.add("fake.quick", R, { id: "q" });
    cloud.add("fake.slow", R, { id: "s", deleteMs: 300_000 });
    cloud.add("fake.after", R, { id: "a" });
    const plan = planOf([planned("fake.quick", "q"), planned("fake.slow", "s"), planned("fake.after", "a")]);
    const report = await apply(plan, registryOf(quick, slow, after));
    expect(outcomes(report)).toEqual({ q: "deleted", s: "deleted", a: "deleted" });
    // while the slow delete runs, nothing could start on seeing it gone: reads each as far apart as
    // the time waited; read at once when the slow delete returns (300 s), then every quarter of the time
    // waited as before, and seen gone as soon as that alone would see it
    expect(readAt).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 375_000, 468_750]);
    expect(cloud.callsOf("delete", "a").map((c) => c.at - T0)).toEqual([468_750]);
  });

  it("a dependency cycle in the plan does not slow the reads of what nothing waits for", async () => {
    // x and y wait for each other and never start; c is gone 400 s after its delete returned
    const base = fakeType(cloud, { type: "fake.campaign", pollIntervalMs: 5_000 });
    const { type: campaign, readAt } = goneAfter(base, 400_000, true);
    const cyclic = fakeType(cloud, { type: "fake.a" });
    cloud.add("fake.campaign", R, { id: "c" });
    cloud.add("fake.a", R, { id: "x" });
    cloud.add("fake.a", R, { id: "y" });
    const plan = planOf([
      planned("fake.campaign", "c"),
      planned("fake.a", "x", { dependsOn: [k("fake.a", "y")] }),
      planned("fake.a", "y", { dependsOn: [k("fake.a", "x")] }),
    ]);
    const report = await apply(plan, registryOf(campaign, cyclic));
    expect(outcomes(report)).toEqual({ c: "deleted", x: "blocked", y: "blocked" });
    // c is the run's last resource: read every quarter of the time waited, seen gone at most a quarter late
    expect(readAt.at(-1)!).toBeLessThanOrEqual(400_000 * 1.25);
  });

  it("a delete that saw the resource gone, taken by the run, is reported deleted without a verify", async () => {
    const base = fakeType(cloud, { type: "fake.profile" });
    const type: ResourceType = { ...base, delete: async () => "gone" };
    cloud.add("fake.profile", R, { id: "p" });
    const report = await apply(planOf([planned("fake.profile", "p")]), registryOf(type));
    expect(byId(report).get("p")).toMatchObject({ outcome: "deleted", attempts: 1 });
    expect(cloud.callsOf("verify")).toEqual([]);
  });

  it("the default poll interval is 2 s", async () => {
    const { registry, plan } = setup([{ type: "fake.table" }], [["fake.table", "t"]]);
    cloud.items.get(k("fake.table", "t"))!.deletingPolls = 1;
    await apply(plan, registry);
    expect(cloud.callsOf("verify", "t").map((c) => c.at - T0)).toEqual([0, 2_000]);
  });

  it("polls a type that answers together on the run's grid, with one verifyAll a moment", async () => {
    const items: [ResourceTypeName, string][] = [1, 2, 3, 4, 5, 6].map((i) => ["fake.campaign", `c${i}`]);
    // one slot: deletes go one after another, 1 s apart, so their polls meet only on the grid
    const { registry, plan } = setup([{ type: "fake.campaign", pollIntervalMs: 15_000, verifyAll: true }], items);
    for (const item of cloud.items.values()) {
      item.deleteMs = 1_000;
      item.deletingPolls = 4;
    }
    const report = await apply(plan, registry, { perService: 1 });
    expect(new Set(Object.values(outcomes(report)))).toEqual(new Set(["deleted"]));
    // each delete's first read comes as it ends, alone: a plain verify
    expect(cloud.callsOf("verify").map((c) => c.at - T0)).toEqual([1, 2, 3, 4, 5, 6].map((s) => s * 1_000));
    // then every poll falls on a multiple of 15 s, all six at once
    const together = cloud.callsOf("verifyAll");
    expect(together.map((c) => c.at - T0)).toEqual([15_000, 30_000, 45_000, 60_000]);
    for (const call of together) expect(call.ids).toEqual(["c1", "c2", "c3", "c4", "c5", "c6"]);
  });

  it("a lone poll of such a type is a plain verify", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.campaign", pollIntervalMs: 10_000, verifyAll: true }],
      [
        ["fake.campaign", "a"],
        ["fake.campaign", "b"],
      ],
    );
    cloud.items.get(k("fake.campaign", "a"))!.deletingPolls = 2;
    const report = await apply(plan, registry);
    expect(outcomes(report)).toEqual({ a: "deleted", b: "deleted" });
    // both first reads come at 0 together; b is gone, a alone is read again on the grid
    expect(cloud.callsOf("verifyAll").map((c) => [c.at - T0, c.ids])).toEqual([[0, ["a", "b"]]]);
    expect(cloud.callsOf("verify").map((c) => [c.at - T0, c.id])).toEqual([
      [10_000, "a"],
      [20_000, "a"],
    ]);
  });

  it("still present after a delete that said yes: remaining at the deadline", async () => {
    const base = fakeType(cloud, { type: "fake.a", pollIntervalMs: 1_000 });
    const type: ResourceType = { ...base, delete: async () => undefined, verify: async () => "present" };
    const report = await apply(planOf([planned("fake.a", "x")]), registryOf(type), { deadlineMs: 3_000 });
    expect(byId(report).get("x")).toMatchObject({ outcome: "remaining", reason: "still present after delete" });
  });
});

describe("interruption", () => {
  it("running deletes finish, nothing new starts", async () => {
    const items: [ResourceTypeName, string][] = [
      ["fake.a", "a1"],
      ["fake.a", "a2"],
      ["fake.a", "a3"],
      ["fake.a", "a4"],
    ];
    const { registry, plan } = setup([{ type: "fake.a" }], items);
    for (const item of cloud.items.values()) item.deleteMs = 10_000;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 5_000);
    const report = await apply(plan, registry, { concurrency: 2 }, { signal: controller.signal });
    expect(outcomes(report)).toEqual({ a1: "deleted", a2: "deleted", a3: "not-started", a4: "not-started" });
    expect(byId(report).get("a3")!.attempts).toBe(0);
    expect(report.interrupted).toBe(true);
    expect(exitCodeOf(report)).toBe(1);
    expect(cloud.callsOf("delete").map((c) => c.id)).toEqual(["a1", "a2"]);
    expect(cloud.left()).toEqual([k("fake.a", "a3"), k("fake.a", "a4")]);
  });

  it("what waits for an unstarted resource is not started either; a rerun finishes the job", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.a" }, { type: "fake.b" }],
      [
        ["fake.a", "first"],
        ["fake.a", "queued"],
        ["fake.b", "after-first", { dependsOn: [k("fake.a", "first")] }],
        ["fake.b", "after-queued", { dependsOn: [k("fake.a", "queued")] }],
      ],
    );
    for (const item of cloud.items.values()) item.deleteMs = 10_000;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 5_000);
    const report = await apply(plan, registry, { concurrency: 1 }, { signal: controller.signal });
    expect(outcomes(report)).toEqual({
      first: "deleted",
      queued: "not-started",
      "after-first": "not-started",
      "after-queued": "not-started",
    });
    const rerun = await apply(plan, registry);
    expect(outcomes(rerun)).toEqual({
      first: "already-gone",
      queued: "deleted",
      "after-first": "deleted",
      "after-queued": "deleted",
    });
    expect(cloud.left()).toEqual([]);
  });

  it("what waits for a failure is still blocked when the run is interrupted", async () => {
    const { registry, plan } = setup(
      [{ type: "fake.a" }, { type: "fake.b" }],
      [
        ["fake.a", "denied"],
        ["fake.b", "after", { dependsOn: [k("fake.a", "denied")] }],
      ],
    );
    const item = cloud.items.get(k("fake.a", "denied"))!;
    item.denied = "fake:DeleteA";
    item.deleteMs = 10_000;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 5_000);
    const report = await apply(plan, registry, {}, { signal: controller.signal });
    expect(outcomes(report)).toEqual({ denied: "failed", after: "blocked" });
  });

  it("a retry waiting in backoff stops: remaining with the last error", async () => {
    const { registry, plan } = setup([{ type: "fake.a" }], [["fake.a", "a"]]);
    cloud.items.get(k("fake.a", "a"))!.failures = Array.from({ length: 50 }, () => new ThrottledError("slow"));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 5_000);
    const report = await apply(plan, registry, { backoffMs: 2_000 }, { signal: controller.signal });
    expect(byId(report).get("a")).toMatchObject({ outcome: "remaining", reason: expect.stringMatching(/slow/) });
    expect(Date.now() - T0).toBeLessThan(10_000);
  });

  it("a resource still deleting when interrupted is remaining, and says so", async () => {
    const { registry, plan } = setup([{ type: "fake.a", pollIntervalMs: 2_000 }], [["fake.a", "a"]]);
    cloud.items.get(k("fake.a", "a"))!.deletingPolls = 100;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 5_000);
    const report = await apply(plan, registry, {}, { signal: controller.signal });
    expect(byId(report).get("a")).toMatchObject({ outcome: "remaining", reason: "interrupted while still deleting" });
    expect(Date.now() - T0).toBeLessThan(10_000);
  });

  it("a delete waiting with ctx.sleep is cut short, not spun: remaining, interrupted", async () => {
    let polls = 0;
    const base = fakeType(cloud, { type: "fake.a" });
    const type: ResourceType = {
      ...base,
      async delete(ctx) {
        for (let i = 0; i < 100; i++) {
          polls++;
          await ctx.sleep(1_000);
        }
      },
    };
    cloud.add("fake.a", R, { id: "a" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 3_500);
    const report = await apply(planOf([planned("fake.a", "a")]), registryOf(type), {}, { signal: controller.signal });
    expect(byId(report).get("a")).toMatchObject({ outcome: "remaining", reason: "interrupted", attempts: 1 });
    expect(polls).toBe(4);
  });

  it("ctx.sleep waits on the engine's clock while the run goes on, and ctx.now reads it", async () => {
    const base = fakeType(cloud, { type: "fake.a" });
    let slept = -1;
    const type: ResourceType = {
      ...base,
      async delete(ctx, found) {
        const before = ctx.now();
        await ctx.sleep(7_000);
        slept = ctx.now() - before;
        return base.delete(ctx, found);
      },
    };
    cloud.add("fake.a", R, { id: "a" });
    const report = await apply(planOf([planned("fake.a", "a")]), registryOf(type));
    expect(byId(report).get("a")).toMatchObject({ outcome: "deleted", durationMs: 7_000 });
    expect(slept).toBe(7_000);
  });

  it("a waiter for a rate budget stops waiting", async () => {
    const budget = { key: "fake:Del", calls: 1, perMs: 60_000, scope: "account" as const };
    const { registry, plan } = setup(
      [{ type: "fake.a", rateBudgets: [budget] }],
      [
        ["fake.a", "a1"],
        ["fake.a", "a2"],
      ],
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 5_000);
    const report = await apply(plan, registry, {}, { signal: controller.signal });
    expect(outcomes(report)).toEqual({ a1: "deleted", a2: "not-started" });
    expect(Date.now() - T0).toBe(5_000);
  });
});
