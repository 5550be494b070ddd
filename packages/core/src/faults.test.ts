import { describe, expect, it } from "vitest";
import { classifyAwsError } from "@cleanup-runner/plugin-kit";
import { FaultInjector, parseFaultRates } from "./faults.js";

async function outcome(injector: FaultInjector, service: string, operation: string): Promise<string> {
  try {
    await injector.inject(service, operation);
    return "passed";
  } catch (error) {
    return classifyAwsError(error).kind;
  }
}

describe("FaultInjector", () => {
  it("strikes at about the given rates, with errors the engine classifies as AWS's would be", async () => {
    const injector = new FaultInjector({ throttle: 0.2, serverError: 0.05, reset: 0.02 }, 42);
    const kinds: Record<string, number> = {};
    for (let i = 0; i < 10_000; i++) {
      const kind = await outcome(injector, "S3", "ListBuckets");
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    const { throttle, serverError, reset, passed } = injector.counts;
    expect(throttle / 10_000).toBeCloseTo(0.2, 1);
    expect(serverError / 10_000).toBeCloseTo(0.05, 1);
    expect(reset / 10_000).toBeCloseTo(0.02, 1);
    expect(passed).toBe(10_000 - throttle - serverError - reset);
    // Throttles, 5xx and resets are all retryable; nothing else was made up.
    expect(kinds).toEqual({ passed, throttled: throttle + serverError + reset });
  });

  it("injects conflicts only into mutating calls, and denies whole services with the action named", async () => {
    const injector = new FaultInjector({ conflict: 1, deniedServices: ["S3"] });
    expect(await outcome(injector, "DynamoDB", "DescribeTable")).toBe("passed");
    expect(await outcome(injector, "DynamoDB", "DeleteTable")).toBe("dependency-pending");
    await expect(injector.inject("S3", "DeleteBucket")).rejects.toMatchObject({ name: "AccessDeniedException" });
    const denied = classifyAwsError(await injector.inject("S3", "ListBuckets").catch((e: unknown) => e));
    expect(denied.kind).toBe("access-denied");
    expect((denied as unknown as { action?: string }).action).toBe("s3:ListBuckets");
  });

  it("is repeatable for a seed", async () => {
    const run = async () => {
      const injector = new FaultInjector({ throttle: 0.3 }, 7);
      const out = [];
      for (let i = 0; i < 50; i++) out.push(await outcome(injector, "S3", "ListBuckets"));
      return out.join();
    };
    expect(await run()).toBe(await run());
  });

  it("parses the bench's --faults flag, and refuses what it does not know", () => {
    expect(parseFaultRates("throttle=0.2,serverError=0.05,reset=0.02,denied=S3+IAM")).toEqual({
      throttle: 0.2,
      serverError: 0.05,
      reset: 0.02,
      deniedServices: ["S3", "IAM"],
    });
    expect(() => parseFaultRates("thrtle=1")).toThrow(/unknown fault/);
    expect(() => parseFaultRates("throttle=x")).toThrow(/expected a number/);
  });

  it("models the SDK's retries beneath the caller: transient faults are retried, the call is sent once", async () => {
    const slept: number[] = [];
    const sleep = (ms: number) => (slept.push(ms), Promise.resolve());
    let sent = 0;
    const send = () => Promise.resolve(++sent);
    const always = new FaultInjector({ throttle: 1 }, 1, sleep, { maxAttempts: 3, baseDelayMs: 100 });
    await expect(always.around("S3", "ListBuckets", send)).rejects.toMatchObject({ $metadata: expect.anything() });
    expect(sent).toBe(0);
    expect(always.counts.retried).toBe(2);
    expect(slept).toHaveLength(2);

    const sometimes = new FaultInjector({ throttle: 0.5, serverError: 0.2 }, 3, sleep, {
      maxAttempts: 50,
      baseDelayMs: 1,
    });
    for (let i = 0; i < 20; i++) await sometimes.around("S3", "ListBuckets", send);
    expect(sent).toBe(20);

    const denied = new FaultInjector({ deniedServices: ["S3"] }, 1, sleep);
    await expect(denied.around("S3", "DeleteBucket", send)).rejects.toMatchObject({ name: "AccessDeniedException" });
    expect(denied.counts.retried).toBe(0); // the SDK does not retry a denial
  });
});
