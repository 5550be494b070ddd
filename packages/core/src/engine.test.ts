import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "./clock.js";
import { applyPlan, checkAccount, exitCodeOf, planManifest, SafetyRefusal } from "./engine.js";
import { resourceKey } from "./plan.js";
import type { Report } from "./report.js";
import { totals } from "./report.js";
import {
  ACCOUNT,
  FakeCloud,
  fakeType,
  manifestOf,
  planOf,
  planned,
  registryOf,
  silentLogger,
  testSession,
} from "./testing/fake-cloud.js";
import { mockSts } from "./testing/sts.js";

const sts = mockSts();
afterAll(() => sts.restore());

const R = "us-east-1";
let cloud: FakeCloud;
beforeEach(() => {
  cloud = new FakeCloud();
});

describe("account guards", () => {
  it("checkAccount: any account without an allow-list, only listed ones with one", () => {
    const identity = { accountId: ACCOUNT, arn: "arn:aws:iam::123456789012:user/t", partition: "aws" };
    expect(() => checkAccount(undefined, identity)).not.toThrow();
    expect(() => checkAccount([ACCOUNT, "999999999999"], identity)).not.toThrow();
    expect(() => checkAccount(["999999999999"], identity)).toThrow(SafetyRefusal);
    expect(() => checkAccount(["999999999999"], identity)).toThrow(
      /account 123456789012 \(arn:aws:iam::123456789012:user\/t\), but the manifest allows only 999999999999/,
    );
  });

  it("apply refuses an account the allow-list does not have, before any delete", async () => {
    const type = fakeType(cloud, { type: "fake.a" });
    cloud.add("fake.a", R, { id: "x" });
    const run = applyPlan(planOf([planned("fake.a", "x")]), {
      registry: registryOf(type),
      session: testSession(false),
      logger: silentLogger,
      accounts: ["999999999999"],
    });
    await expect(run).rejects.toBeInstanceOf(SafetyRefusal);
    expect(cloud.callsOf("delete")).toEqual([]);
    expect(cloud.left()).toEqual([resourceKey("fake.a", R, "x")]);
  });

  it("apply refuses a plan made for another account", async () => {
    const type = fakeType(cloud, { type: "fake.a" });
    cloud.add("fake.a", R, { id: "x" });
    const run = applyPlan(planOf([planned("fake.a", "x")], { accountId: "999999999999" }), {
      registry: registryOf(type),
      session: testSession(false),
      logger: silentLogger,
    });
    await expect(run).rejects.toThrow(
      new SafetyRefusal("the plan was made for account 999999999999, but these credentials are for 123456789012"),
    );
    expect(cloud.callsOf("delete")).toEqual([]);
  });

  it("plan refuses an account the allow-list does not have, before any discovery", async () => {
    const type = fakeType(cloud, { type: "fake.a" });
    const manifest = manifestOf([{ type: "fake.a", match: { all: true } }], { accounts: ["999999999999"] });
    await expect(
      planManifest(manifest, [R], { registry: registryOf(type), session: testSession(true), logger: silentLogger }),
    ).rejects.toBeInstanceOf(SafetyRefusal);
    expect(cloud.callsOf("discover")).toEqual([]);
  });

  it("plan refuses a session that may change things", async () => {
    const type = fakeType(cloud, { type: "fake.a" });
    await expect(
      planManifest(manifestOf([{ type: "fake.a", match: { all: true } }]), [R], {
        registry: registryOf(type),
        session: testSession(false),
        logger: silentLogger,
      }),
    ).rejects.toThrow(/read-only/);
    expect(cloud.callsOf("discover")).toEqual([]);
  });
});

describe("plan then apply", () => {
  it("plans read-only, applies, and reports with the API calls counted", async () => {
    const type = fakeType(cloud, { type: "fake.a" });
    cloud.add("fake.a", R, { id: "s-1" });
    cloud.add("fake.a", R, { id: "s-2" });
    cloud.add("fake.a", R, { id: "other" });
    const registry = registryOf(type);
    const manifest = manifestOf([{ type: "fake.a", match: { prefix: "s-" } }], { accounts: [ACCOUNT] });
    const plan = await planManifest(manifest, [R], { registry, session: testSession(true), logger: silentLogger });
    expect(plan.resources.map((r) => r.found.id)).toEqual(["s-1", "s-2"]);
    const session = testSession(false);
    const report = await applyPlan(plan, {
      registry,
      session,
      logger: silentLogger,
      clock: systemClock,
      accounts: manifest.accounts,
    });
    expect(report).toMatchObject({
      version: 1,
      manifest: { file: "/tmp/test.yaml", name: "test" },
      accountId: ACCOUNT,
      interrupted: false,
      totals: { deleted: 2 },
      apiCalls: { STS: { GetCallerIdentity: 1 } },
      apiCallTotal: 1,
    });
    expect(Date.parse(report.finishedAt)).toBeGreaterThanOrEqual(Date.parse(report.startedAt));
    expect(cloud.left()).toEqual([resourceKey("fake.a", R, "other")]);
  });
});

describe("exitCodeOf", () => {
  const report = (outcomes: Report["resources"][number]["outcome"][], extra: Partial<Report> = {}): Report => {
    const resources = outcomes.map((outcome, i) => ({
      key: `k${i}`,
      type: "fake.a",
      region: R,
      id: `${i}`,
      name: `${i}`,
      outcome,
      attempts: 1,
      durationMs: 0,
    }));
    return {
      version: 1,
      manifest: { file: "/m.yaml", name: "m" },
      accountId: ACCOUNT,
      startedAt: "",
      finishedAt: "",
      interrupted: false,
      resources,
      notices: [],
      totals: totals(resources),
      apiCalls: {},
      apiCallTotal: 0,
      ...extra,
    };
  };

  it("0 when every selected resource is gone (protected ones are not selected for deletion)", () => {
    expect(exitCodeOf(report([]))).toBe(0);
    expect(exitCodeOf(report(["deleted", "already-gone", "protected"]))).toBe(0);
  });

  it.each(["failed", "remaining", "blocked", "not-started"] as const)("1 when one is %s", (outcome) => {
    expect(exitCodeOf(report(["deleted", outcome]))).toBe(1);
  });

  it("1 when interrupted or when discovery failed somewhere", () => {
    expect(exitCodeOf(report(["deleted"], { interrupted: true }))).toBe(1);
    expect(exitCodeOf(report(["deleted"], { notices: [{ level: "error", message: "could not discover" }] }))).toBe(1);
    expect(exitCodeOf(report(["deleted"], { notices: [{ level: "warning", message: "left in place" }] }))).toBe(0);
  });
});
