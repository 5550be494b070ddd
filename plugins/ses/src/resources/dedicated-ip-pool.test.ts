import {
  DeleteDedicatedIpPoolCommand,
  GetDedicatedIpPoolCommand,
  GetDedicatedIpsCommand,
  ListDedicatedIpPoolsCommand,
  ListTagsForResourceCommand,
  NotFoundException,
  SESv2Client,
} from "@aws-sdk/client-sesv2";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { dedicatedIpPool } from "./dedicated-ip-pool.js";

const ses = mockClient(SESv2Client);
const ctx = () => testContext({ resource: dedicatedIpPool });
const meta = { $metadata: {} };
const pool = {
  id: "student-pool",
  name: "student-pool",
  arn: "arn:aws:ses:us-east-1:123456789012:dedicated-ip-pool/student-pool",
};
const ip = (n: number) => ({
  Ip: `192.0.2.${n}`,
  WarmupStatus: "DONE" as const,
  WarmupPercentage: 100,
  PoolName: pool.id,
});

beforeEach(() => {
  ses.reset();
});

describe("ses.dedicated-ip-pool", () => {
  it("lists every page; the pools SES keeps are protected", async () => {
    ses
      .on(ListDedicatedIpPoolsCommand)
      .resolvesOnce({ DedicatedIpPools: ["student-pool", "ses-default-dedicated-pool"], NextToken: "p2" })
      .resolvesOnce({ DedicatedIpPools: ["other-project-pool"] });

    const pools = await collect(dedicatedIpPool.discover(ctx(), {}));

    expect(pools[0]).toEqual(pool);
    expect(pools.map((p) => dedicatedIpPool.protectedReason!(p))).toEqual([undefined, expect.any(String), undefined]);
  });

  it("reads tags by ARN", async () => {
    ses
      .on(ListTagsForResourceCommand, { ResourceArn: pool.arn })
      .resolves({ Tags: [{ Key: "workshop", Value: "student-system" }] });

    expect(await dedicatedIpPool.readTags!(ctx(), pool)).toEqual({ workshop: "student-system" });
  });

  it("counts the pool's IPs over every page and warns that standard IPs stay billed", async () => {
    ses.on(GetDedicatedIpPoolCommand).resolves({ DedicatedIpPool: { PoolName: pool.id, ScalingMode: "STANDARD" } });
    ses
      .on(GetDedicatedIpsCommand, { PoolName: pool.id })
      .resolvesOnce({ DedicatedIps: [ip(1), ip(2)], NextToken: "p2" })
      .resolvesOnce({ DedicatedIps: [ip(3)] });

    const planned = await dedicatedIpPool.describe!(ctx(), pool);

    expect(planned.children).toEqual([{ kind: "dedicated IPs", count: 3 }]);
    expect(planned.notes).toEqual([expect.stringContaining("stay billed until relinquished")]);
  });

  it("says to check the bill for a managed pool", async () => {
    ses.on(GetDedicatedIpPoolCommand).resolves({ DedicatedIpPool: { PoolName: pool.id, ScalingMode: "MANAGED" } });
    ses.on(GetDedicatedIpsCommand).resolves({ DedicatedIps: [] });

    expect((await dedicatedIpPool.describe!(ctx(), pool)).notes).toEqual([expect.stringContaining("managed")]);
  });

  it("deletes, counts a rerun as gone, and verifies", async () => {
    ses
      .on(DeleteDedicatedIpPoolCommand)
      .resolvesOnce({})
      .rejects(new NotFoundException({ message: "Pool student-pool does not exist", ...meta }));
    ses
      .on(GetDedicatedIpPoolCommand)
      .resolvesOnce({ DedicatedIpPool: { PoolName: pool.id, ScalingMode: "STANDARD" } })
      .rejects(new NotFoundException({ message: "not found", ...meta }));

    expect(await dedicatedIpPool.verify(ctx(), pool)).toBe("present");
    await dedicatedIpPool.delete(ctx(), pool);
    await expect(dedicatedIpPool.delete(ctx(), pool)).rejects.toMatchObject({ kind: "not-found" });
    expect(await dedicatedIpPool.verify(ctx(), pool)).toBe("gone");
  });
});
