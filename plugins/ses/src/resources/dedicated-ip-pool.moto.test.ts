import { CreateDedicatedIpPoolCommand, GetDedicatedIpPoolCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { dedicatedIpPool } from "./dedicated-ip-pool.js";

const moto = useMoto();
const ses = () => moto.client(SESv2Client);
const ctx = () => moto.context({ resource: dedicatedIpPool });

describe("ses.dedicated-ip-pool on moto", () => {
  it("deletes the selected pool and leaves the decoy", async () => {
    await ses().send(
      new CreateDedicatedIpPoolCommand({
        PoolName: "student-pool",
        ScalingMode: "MANAGED",
        Tags: [{ Key: "workshop", Value: "student-system" }],
      }),
    );
    await ses().send(new CreateDedicatedIpPoolCommand({ PoolName: "other-project-pool", ScalingMode: "STANDARD" }));

    const pools = await collect(dedicatedIpPool.discover(ctx(), {}));
    expect(pools.map((p) => p.name).sort()).toEqual(["other-project-pool", "student-pool"]);
    const student = pools.find((p) => p.name === "student-pool")!;
    expect(await dedicatedIpPool.readTags!(ctx(), student)).toEqual({ workshop: "student-system" });
    const planned = await dedicatedIpPool.describe!(ctx(), student);
    expect(planned.notes).toEqual([expect.stringContaining("managed pool")]);

    await dedicatedIpPool.delete(ctx(), planned);

    expect(await dedicatedIpPool.verify(ctx(), student)).toBe("gone");
    const decoy = await ses().send(new GetDedicatedIpPoolCommand({ PoolName: "other-project-pool" }));
    expect(decoy.DedicatedIpPool?.PoolName).toBe("other-project-pool");
  });
});
