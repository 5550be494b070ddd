import {
  DeleteDedicatedIpPoolCommand,
  GetDedicatedIpPoolCommand,
  ListTagsForResourceCommand,
  SESv2Client,
  paginateGetDedicatedIps,
  paginateListDedicatedIpPools,
} from "@aws-sdk/client-sesv2";
import {
  classifiedCall,
  classifiedPages,
  defineResource,
  readOrUndefined,
  tagRecord,
  type Child,
  type ResourceContext,
} from "@cleanup-runner/plugin-kit";
import { sesArn } from "../arns.js";

/** Pools SES itself keeps in every account that has dedicated IPs. */
const sesPools = new Set(["ses-default-dedicated-pool", "ses-shared-pool"]);

async function getPool(ctx: ResourceContext, name: string) {
  const answer = await readOrUndefined(() =>
    ctx.client(SESv2Client).send(new GetDedicatedIpPoolCommand({ PoolName: name })),
  );
  return answer?.DedicatedIpPool;
}

async function countIps(ctx: ResourceContext, pool: string): Promise<number> {
  let count = 0;
  for await (const page of paginateGetDedicatedIps({ client: ctx.client(SESv2Client) }, { PoolName: pool })) {
    count += page.DedicatedIps?.length ?? 0;
  }
  return count;
}

/** An SES dedicated IP pool: dedicated IPs are billed monthly, so they matter to a clean account. */
export const dedicatedIpPool = defineResource({
  type: "ses.dedicated-ip-pool",
  description:
    "SES dedicated IP pools (standard and managed). A standard pool's leased IPs outlive the pool and stay billed " +
    "until relinquished through AWS Support.",
  scope: "regional",

  async *discover(ctx) {
    const listing = paginateListDedicatedIpPools({ client: ctx.client(SESv2Client) }, {});
    for await (const page of classifiedPages("ListDedicatedIpPools", listing)) {
      for (const name of page.DedicatedIpPools ?? []) {
        yield { id: name, name, arn: sesArn(ctx, `dedicated-ip-pool/${name}`) };
      }
    }
  },

  protectedReason(found) {
    return sesPools.has(found.name) ? "a pool SES keeps for every account" : undefined;
  },

  async readTags(ctx, found) {
    const client = ctx.client(SESv2Client);
    const answer = await readOrUndefined(() => client.send(new ListTagsForResourceCommand({ ResourceArn: found.arn })));
    return tagRecord(answer?.Tags);
  },

  async describe(ctx, found) {
    const pool = await getPool(ctx, found.id);
    if (!pool) return found;
    const ips = await readOrUndefined(() => countIps(ctx, found.id));
    const children: Child[] = [{ kind: "dedicated IPs", ...(ips !== undefined ? { count: ips } : {}) }];
    const notes =
      pool.ScalingMode === "MANAGED"
        ? ["a managed pool: check the bill afterwards for dedicated IP (managed) charges"]
        : [
            "a standard pool: its leased IPs move to ses-default-dedicated-pool and stay billed until relinquished " +
              "through AWS Support",
          ];
    return { ...found, children, notes };
  },

  async delete(ctx, found) {
    await classifiedCall(`DeleteDedicatedIpPool ${found.id}`, () =>
      ctx.client(SESv2Client).send(new DeleteDedicatedIpPoolCommand({ PoolName: found.id })),
    );
  },

  async verify(ctx, found) {
    return (await getPool(ctx, found.id)) ? "present" : "gone";
  },
});
