import { defineResource, type Found, type ResourceContext, type VerifyResult } from "@cleanup-runner/plugin-kit";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "./virtual-clock.js";
import { VerifyBatches } from "./verify-batches.js";

const found = (id: string): Found => ({ id, name: id });
const ctx = {} as ResourceContext;

/** A type whose reads are recorded; verifyAll answers from `states` or throws `failure`. */
function campaigns(states: Record<string, VerifyResult>, failure?: Error) {
  const calls: string[][] = [];
  const type = defineResource({
    type: "fake.campaign",
    description: "fake",
    scope: "regional",
    async *discover() {},
    async delete() {},
    async verify(_ctx, f) {
      calls.push([f.id]);
      return states[f.id]!;
    },
    async verifyAll(_ctx, all) {
      calls.push(all.map((f) => f.id));
      if (failure) throw failure;
      return all.map((f) => states[f.id]!).slice(0, states.short ? 1 : undefined);
    },
  });
  return { type, calls };
}

describe("VerifyBatches", () => {
  it("answers the polls due at one moment with one verifyAll, by key", async () => {
    const clock = new VirtualClock();
    const batches = new VerifyBatches(clock);
    const { type, calls } = campaigns({ a: "gone", b: "deleting", c: "present", d: "gone" });
    const results = await clock.run(
      Promise.all([
        batches.verify(type, ctx, found("a"), "us-east-1"),
        batches.verify(type, ctx, found("b"), "us-east-1"),
        batches.verify(type, ctx, found("c"), "us-east-1"),
        batches.verify(type, ctx, found("d"), "eu-west-1"),
      ]),
    );
    expect(results).toEqual(["gone", "deleting", "present", "gone"]);
    // one listing for the three of one region; the lone one of the other region reads itself
    expect(calls).toEqual([["a", "b", "c"], ["d"]]);
  });

  it("a poll after the moment has passed starts a batch of its own", async () => {
    const clock = new VirtualClock();
    const batches = new VerifyBatches(clock);
    const { type, calls } = campaigns({ a: "deleting", b: "deleting" });
    await clock.run(
      (async () => {
        await batches.verify(type, ctx, found("a"), "k");
        await clock.sleep(1);
        await batches.verify(type, ctx, found("b"), "k");
      })(),
    );
    expect(calls).toEqual([["a"], ["b"]]);
  });

  it("a failed verifyAll, or one that answers for fewer, fails every poll of its batch", async () => {
    for (const [states, failure, message] of [
      [{ a: "gone", b: "gone" }, new Error("ListCampaigns: throttled"), /throttled/],
      [{ a: "gone", b: "gone", short: "gone" }, undefined, /answered 1 of 2 resources/],
    ] as const) {
      const clock = new VirtualClock();
      const batches = new VerifyBatches(clock);
      const { type } = campaigns(states, failure);
      const results = await clock.run(
        Promise.allSettled([batches.verify(type, ctx, found("a"), "k"), batches.verify(type, ctx, found("b"), "k")]),
      );
      expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
      for (const r of results) expect(String((r as PromiseRejectedResult).reason)).toMatch(message);
    }
  });

  it("a type without verifyAll is read one by one", async () => {
    const clock = new VirtualClock();
    const batches = new VerifyBatches(clock);
    const { type, calls } = campaigns({ a: "gone", b: "gone" });
    const plain = { ...type, verifyAll: undefined };
    await clock.run(
      Promise.all([batches.verify(plain, ctx, found("a"), "k"), batches.verify(plain, ctx, found("b"), "k")]),
    );
    expect(calls).toEqual([["a"], ["b"]]);
  });
});
