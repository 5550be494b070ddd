import {
  CognitoIdentityClient,
  DeleteIdentityPoolCommand,
  DescribeIdentityPoolCommand,
  paginateListIdentityPools,
  type IdentityPool,
} from "@aws-sdk/client-cognito-identity";
import {
  classifiedCall,
  defineResource,
  readOrUndefined,
  type Found,
  type ResourceContext,
} from "@cleanup-runner/plugin-kit";

function client(ctx: ResourceContext): CognitoIdentityClient {
  return ctx.client(CognitoIdentityClient);
}

async function describeIdentityPool(ctx: ResourceContext, id: string): Promise<IdentityPool | undefined> {
  return readOrUndefined(() => client(ctx).send(new DescribeIdentityPoolCommand({ IdentityPoolId: id })));
}

/** DescribeIdentityPool answers read by readTags, kept for describe so a tag-selected pool is read once. */
const readForTags = new WeakMap<Found, IdentityPool>();

/** A Cognito identity pool (federated identities). */
export const identityPool = defineResource({
  type: "cognito.identity-pool",
  description: "Cognito identity pools (federated identities), with their identities.",
  scope: "regional",
  deletesWith: ["identities", "role settings"],

  async *discover(ctx) {
    // ListIdentityPools has no name filter; MaxResults is required (1-60).
    for await (const page of paginateListIdentityPools({ client: client(ctx) }, { MaxResults: 60 })) {
      for (const pool of page.IdentityPools ?? []) {
        if (!pool.IdentityPoolId || !pool.IdentityPoolName) continue;
        yield {
          id: pool.IdentityPoolId,
          name: pool.IdentityPoolName,
          arn: `arn:${ctx.partition}:cognito-identity:${ctx.region}:${ctx.accountId}:identitypool/${pool.IdentityPoolId}`,
        };
      }
    }
  },

  async readTags(ctx, found) {
    const pool = await describeIdentityPool(ctx, found.id);
    if (pool) readForTags.set(found, pool);
    return pool?.IdentityPoolTags ?? {};
  },

  async describe(ctx, found) {
    const pool = readForTags.get(found) ?? (await describeIdentityPool(ctx, found.id));
    if (!pool) return found;
    const userPools = (pool.CognitoIdentityProviders ?? []).map((p) => p.ProviderName).filter(Boolean);
    const notes = ["the IAM roles it hands out to identities are not deleted: select them with iam.role entries"];
    if (userPools.length) notes.push(`linked user pools stay unless selected: ${userPools.join(", ")}`);
    return {
      ...found,
      tags: found.tags ?? pool.IdentityPoolTags ?? {},
      children: [{ kind: "identities", note: "every identity of the pool; not counted" }],
      notes,
    };
  },

  async delete(ctx, found) {
    await classifiedCall(`DeleteIdentityPool ${found.id}`, () =>
      client(ctx).send(new DeleteIdentityPoolCommand({ IdentityPoolId: found.id })),
    );
  },

  async verify(ctx, found) {
    return (await describeIdentityPool(ctx, found.id)) ? "present" : "gone";
  },
});
