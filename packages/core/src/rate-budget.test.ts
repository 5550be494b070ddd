import type { RateBudget } from "@cleanup-runner/plugin-kit";
import { describe, expect, it } from "vitest";
import type { Clock } from "./clock.js";
import { RateBudgets } from "./rate-budget.js";

/** A clock whose sleeps only record and move time forward. */
function virtualClock(): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const perApi = (extra: Partial<RateBudget> = {}): RateBudget => ({
  key: "apigateway:DeleteRestApi",
  calls: 1,
  perMs: 30_000,
  scope: "account",
  ...extra,
});

describe("RateBudgets", () => {
  it("spaces callers perMs / calls apart, without a burst", async () => {
    // time stands still: each caller's wait is its reserved slot
    const waits: number[] = [];
    const frozen: Clock = { now: () => 1_000, sleep: async (ms) => void waits.push(ms) };
    const budgets = new RateBudgets(frozen);
    await Promise.all([1, 2, 3, 4].map(() => budgets.acquire([perApi({ calls: 2, perMs: 10_000 })], "us-east-1")));
    expect(waits).toEqual([5_000, 10_000, 15_000]);
  });

  it("a budget unused for a while grants at once", async () => {
    const clock = virtualClock();
    const budgets = new RateBudgets(clock);
    await budgets.acquire([perApi()], "us-east-1");
    await clock.sleep(60_000);
    clock.sleeps.length = 0;
    await budgets.acquire([perApi()], "us-east-1");
    expect(clock.sleeps).toEqual([]);
  });

  it("regional budgets are kept per region, account budgets across regions", async () => {
    const clock = virtualClock();
    const budgets = new RateBudgets(clock);
    await budgets.acquire([perApi({ scope: "region" })], "us-east-1");
    await budgets.acquire([perApi({ scope: "region" })], "eu-west-1");
    expect(clock.sleeps).toEqual([]);
    await budgets.acquire([perApi()], "us-east-1");
    await budgets.acquire([perApi()], "eu-west-1");
    expect(clock.sleeps).toEqual([30_000]);
  });

  it("several budgets: waits for the latest", async () => {
    const clock = virtualClock();
    const budgets = new RateBudgets(clock);
    const a = perApi({ key: "a", perMs: 10_000 });
    const b = perApi({ key: "b", perMs: 20_000 });
    await budgets.acquire([a, b], "us-east-1");
    const pending = budgets.acquire([a, b], "us-east-1");
    await pending;
    expect(clock.sleeps).toEqual([20_000]);
  });

  it("no budgets: no wait", async () => {
    const clock = virtualClock();
    await new RateBudgets(clock).acquire([], "us-east-1");
    expect(clock.sleeps).toEqual([]);
  });

  it("minimumDuration", () => {
    expect(RateBudgets.minimumDuration(perApi(), 0)).toBe(0);
    expect(RateBudgets.minimumDuration(perApi(), 1)).toBe(0);
    expect(RateBudgets.minimumDuration(perApi(), 3)).toBe(60_000);
    expect(RateBudgets.minimumDuration(perApi({ calls: 10, perMs: 1_000 }), 11)).toBe(1_000);
  });
});
