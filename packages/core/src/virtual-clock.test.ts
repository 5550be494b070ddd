import { describe, expect, it } from "vitest";
import { VirtualClock } from "./virtual-clock.js";

describe("VirtualClock", () => {
  it("runs sleeps in time order without waiting for real time", async () => {
    const clock = new VirtualClock(0);
    const order: string[] = [];
    const started = Date.now();
    const work = Promise.all([
      clock.sleep(30_000).then(() => order.push(`b@${clock.now()}`)),
      clock.sleep(10_000).then(() => order.push(`a@${clock.now()}`)),
      (async () => {
        await clock.sleep(20_000);
        order.push(`c@${clock.now()}`);
        await clock.sleep(20_000);
        order.push(`d@${clock.now()}`);
      })(),
    ]);
    await clock.run(work);
    expect(order).toEqual(["a@10000", "c@20000", "b@30000", "d@40000"]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("resolves a sleep early when its signal aborts, and reports a deadlock instead of hanging", async () => {
    const clock = new VirtualClock(0);
    const controller = new AbortController();
    const slept = clock.sleep(60_000, controller.signal);
    controller.abort();
    await slept;
    expect(clock.now()).toBe(0);
    await expect(clock.run(new Promise(() => undefined))).rejects.toThrow(/deadlock/);
  });

  it("passes the work's failure through", async () => {
    const clock = new VirtualClock(0);
    await expect(clock.run(clock.sleep(5).then(() => Promise.reject(new Error("x"))))).rejects.toThrow("x");
  });
});
