import { describe, expect, it } from "vitest";
import { perClient, sharedWhileRecent } from "./per-client.js";

describe("perClient", () => {
  it("makes one state per client, on first use", () => {
    const stopped = perClient<object, Set<string>>(() => new Set());
    const a = {};
    const b = {};
    stopped(a).add("v1");
    expect([...stopped(a)]).toEqual(["v1"]);
    expect([...stopped(b)]).toEqual([]);
  });
});

describe("sharedWhileRecent", () => {
  function counted() {
    let reads = 0;
    const listing = sharedWhileRecent(15_000, async (_client: object) => ++reads);
    return { listing, reads: () => reads };
  }

  it("shares one read while it is at most maxAgeMs old, then reads again", async () => {
    const { listing, reads } = counted();
    const client = {};
    expect(await listing(client, 1_000).value).toBe(1);
    expect(await listing(client, 16_000).value).toBe(1);
    expect(listing(client, 16_000).startedAt).toBe(1_000);
    expect(await listing(client, 16_001).value).toBe(2);
    expect(reads()).toBe(2);
  });

  it("shares a read still running, and keeps one per client", async () => {
    const { listing, reads } = counted();
    const a = {};
    const b = {};
    const [first, second] = [listing(a, 0), listing(a, 0)];
    expect(first).toBe(second);
    expect(await listing(b, 0).value).toBe(2);
    expect(reads()).toBe(2);
  });

  it("reads again for a caller whose notBefore is after the last read began", async () => {
    const { listing } = counted();
    const client = {};
    await listing(client, 1_000).value;
    expect(await listing(client, 2_000, 1_000).value).toBe(1);
    expect(await listing(client, 2_000, 1_500).value).toBe(2);
  });

  it("drops a failed read, so that the next caller reads again", async () => {
    let calls = 0;
    const listing = sharedWhileRecent(15_000, async (_client: object) => {
      calls += 1;
      if (calls === 1) throw new Error("throttled");
      return "listed";
    });
    const client = {};
    await expect(listing(client, 0).value).rejects.toThrow("throttled");
    await expect(listing(client, 0).value).resolves.toBe("listed");
    expect(calls).toBe(2);
  });
});
