import { Type } from "@sinclair/typebox";
import { describe, expect, it } from "vitest";
import { collect, testContext } from "./testing.js";

/** Stands for an SDK client class: keeps the config it was built with. */
class FakeClient {
  constructor(readonly config: Record<string, unknown>) {}
}

describe("testContext", () => {
  it("has defaults for everything", () => {
    const ctx = testContext();
    expect(ctx.region).toBe("us-east-1");
    expect(ctx.accountId).toBe("123456789012");
    expect(ctx.partition).toBe("aws");
    expect(ctx.options).toEqual({});
    expect(ctx.signal.aborted).toBe(false);
    expect(ctx.logger.level).toBe("silent");
  });

  it("applies the type's option defaults without touching the given options", () => {
    const resource = {
      options: Type.Object({ force: Type.Boolean({ default: false }), size: Type.Number({ default: 5 }) }),
    };
    const given = { size: 9 };
    const ctx = testContext<{ force: boolean; size: number }>({ resource, options: given });
    expect(ctx.options).toEqual({ force: false, size: 9 });
    expect(given).toEqual({ size: 9 });
  });

  it("takes region, account and signal", () => {
    const controller = new AbortController();
    const ctx = testContext({ region: "ap-southeast-1", accountId: "111122223333", signal: controller.signal });
    expect(ctx.region).toBe("ap-southeast-1");
    expect(ctx.accountId).toBe("111122223333");
    controller.abort();
    expect(ctx.signal.aborted).toBe(true);
  });

  it("records progress and sleeps, and sleeps at once", async () => {
    const ctx = testContext();
    ctx.progress("10 objects");
    const started = Date.now();
    const clockAt = ctx.now();
    await ctx.sleep(60_000);
    await ctx.sleep(5);
    expect(Date.now() - started).toBeLessThan(1_000);
    // its clock moves only with the sleeps
    expect(ctx.now() - clockAt).toBe(60_005);
    expect(ctx.progressMessages).toEqual(["10 objects"]);
    expect(ctx.sleeps).toEqual([60_000, 5]);
  });

  it("sleep rejects with an AbortError once the signal is aborted, like the engine's", async () => {
    const controller = new AbortController();
    const ctx = testContext({ signal: controller.signal });
    await expect(ctx.sleep(10)).resolves.toBeUndefined();
    controller.abort();
    await expect(ctx.sleep(10)).rejects.toMatchObject({ name: "AbortError" });
  });

  it("builds one client per class and region, in the context's region by default", () => {
    const ctx = testContext({ region: "eu-west-1" });
    const a = ctx.client(FakeClient);
    expect(ctx.client(FakeClient)).toBe(a);
    const b = ctx.client(FakeClient, "us-west-2");
    expect(b).not.toBe(a);
    expect(ctx.client(FakeClient, "us-west-2")).toBe(b);
    expect(a.config).toEqual({
      region: "eu-west-1",
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
      maxAttempts: 1,
    });
    expect(b.config.region).toBe("us-west-2");
  });

  it("an endpoint goes to every client, with path-style S3", () => {
    const ctx = testContext({ endpoint: "http://127.0.0.1:5000" });
    expect(ctx.client(FakeClient).config).toMatchObject({ endpoint: "http://127.0.0.1:5000", forcePathStyle: true });
  });
});

describe("collect", () => {
  it("collects an async iterable", async () => {
    async function* gen() {
      yield 1;
      yield 2;
    }
    expect(await collect(gen())).toEqual([1, 2]);
  });
});
