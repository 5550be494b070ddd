import {
  CognitoIdentityClient,
  DeleteIdentityPoolCommand,
  DescribeIdentityPoolCommand,
  InvalidParameterException,
  ListIdentityPoolsCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
} from "@aws-sdk/client-cognito-identity";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { identityPool } from "./identity-pool.js";

const cognitoIdentity = mockClient(CognitoIdentityClient);
const ctx = () => testContext({ resource: identityPool });
const meta = { $metadata: {} };
const found = { id: "us-east-1:1111-2222", name: "student_identity_pool" };
const pool = {
  IdentityPoolId: found.id,
  IdentityPoolName: found.name,
  AllowUnauthenticatedIdentities: false,
  IdentityPoolTags: { workshop: "student-system" },
  CognitoIdentityProviders: [{ ProviderName: "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", ClientId: "c1" }],
};

beforeEach(() => {
  cognitoIdentity.reset();
});

describe("cognito.identity-pool", () => {
  it("discovers across pages with MaxResults set, as ListIdentityPools requires", async () => {
    cognitoIdentity.on(ListIdentityPoolsCommand).callsFake((input: { MaxResults?: number; NextToken?: string }) => {
      if (!input.MaxResults || input.MaxResults > 60)
        throw new InvalidParameterException({ message: "MaxResults", ...meta });
      return input.NextToken
        ? { IdentityPools: [{ IdentityPoolId: "us-east-1:3333", IdentityPoolName: "other_project_pool" }] }
        : { IdentityPools: [{ IdentityPoolId: found.id, IdentityPoolName: found.name }], NextToken: "p2" };
    });

    const pools = await collect(identityPool.discover(ctx(), {}));

    expect(pools).toEqual([
      { ...found, arn: `arn:aws:cognito-identity:us-east-1:123456789012:identitypool/${found.id}` },
      {
        id: "us-east-1:3333",
        name: "other_project_pool",
        arn: "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1:3333",
      },
    ]);
    expect(cognitoIdentity).toHaveReceivedNthCommandWith(ListIdentityPoolsCommand, 2, {
      MaxResults: 60,
      NextToken: "p2",
    });
  });

  it("reads tags and the plan with one DescribeIdentityPool, and says what stays", async () => {
    cognitoIdentity.on(DescribeIdentityPoolCommand).resolves(pool);
    const candidate = { ...found };

    expect(await identityPool.readTags!(ctx(), candidate)).toEqual({ workshop: "student-system" });
    const planned = await identityPool.describe!(ctx(), candidate);

    expect(cognitoIdentity).toHaveReceivedCommandTimes(DescribeIdentityPoolCommand, 1);
    expect(planned.children).toEqual([{ kind: "identities", note: expect.any(String) }]);
    expect(planned.notes).toEqual([
      expect.stringContaining("IAM roles"),
      expect.stringContaining("cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"),
    ]);
  });

  it("deletes with DeleteIdentityPool and counts a second run as already gone", async () => {
    cognitoIdentity
      .on(DeleteIdentityPoolCommand)
      .resolvesOnce({})
      .rejects(new ResourceNotFoundException({ message: "IdentityPool not found", ...meta }));

    await identityPool.delete(ctx(), found);
    await expect(identityPool.delete(ctx(), found)).rejects.toMatchObject({ kind: "not-found" });
    expect(cognitoIdentity).toHaveReceivedCommandWith(DeleteIdentityPoolCommand, { IdentityPoolId: found.id });
  });

  it("classifies throttling", async () => {
    cognitoIdentity
      .on(DeleteIdentityPoolCommand)
      .rejects(new TooManyRequestsException({ message: "slow down", ...meta }));

    await expect(identityPool.delete(ctx(), found)).rejects.toMatchObject({ kind: "throttled" });
  });

  it("verifies with a fresh DescribeIdentityPool", async () => {
    cognitoIdentity
      .on(DescribeIdentityPoolCommand)
      .resolvesOnce(pool)
      .rejects(new ResourceNotFoundException({ message: "not found", ...meta }));

    expect(await identityPool.verify(ctx(), found)).toBe("present");
    expect(await identityPool.verify(ctx(), found)).toBe("gone");
  });
});
