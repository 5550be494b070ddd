import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DescribeIdentityPoolCommand,
} from "@aws-sdk/client-cognito-identity";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { identityPool } from "./identity-pool.js";

const moto = useMoto();
const cognitoIdentity = () => moto.client(CognitoIdentityClient);
const ctx = () => moto.context({ resource: identityPool });

async function createPool(name: string): Promise<string> {
  const { IdentityPoolId } = await cognitoIdentity().send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: name,
      AllowUnauthenticatedIdentities: false,
      IdentityPoolTags: { project: name },
    }),
  );
  return IdentityPoolId!;
}

describe("cognito.identity-pool on moto", () => {
  it("deletes the selected pool and leaves the decoy", async () => {
    const student = await createPool("student_identity_pool");
    const decoy = await createPool("other_project_pool");

    const pools = await collect(identityPool.discover(ctx(), {}));
    const found = pools.find((p) => p.id === student)!;
    expect(pools.map((p) => p.name).sort()).toEqual(["other_project_pool", "student_identity_pool"]);
    expect(await identityPool.readTags!(ctx(), found)).toEqual({ project: "student_identity_pool" });

    await identityPool.delete(ctx(), await identityPool.describe!(ctx(), found));

    expect(await identityPool.verify(ctx(), found)).toBe("gone");
    await expect(identityPool.delete(ctx(), found)).rejects.toMatchObject({ kind: "not-found" });
    const left = await cognitoIdentity().send(new DescribeIdentityPoolCommand({ IdentityPoolId: decoy }));
    expect(left.IdentityPoolName).toBe("other_project_pool");
  });
});
