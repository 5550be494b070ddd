import { AppSyncClient, DeleteDomainNameCommand, GetDomainNameCommand } from "@aws-sdk/client-appsync";
import { classifiedCall, defineResource, readOrUndefined } from "@cleanup-runner/plugin-kit";
import { associatedApiId, disassociateApi, listDomainNames } from "../api-associations.js";

/**
 * An AppSync custom domain name. AWS refuses DeleteDomainName while an API
 * is associated, so its delete disassociates the API first (the API itself
 * is not touched). GraphQL APIs wait for their domains (see graphql-api).
 */
export const domainName = defineResource({
  type: "appsync.domain-name",
  description: "An AppSync custom domain name; its API association is removed first, the API is kept.",
  scope: "regional",
  deletesWith: ["API association"],

  async *discover(ctx) {
    for (const domain of await listDomainNames(ctx.client(AppSyncClient))) {
      if (!domain.domainName) continue;
      yield {
        id: domain.domainName,
        name: domain.domainName,
        ...(domain.domainNameArn ? { arn: domain.domainNameArn } : {}),
        tags: { ...domain.tags },
      };
    }
  },

  async describe(ctx, found) {
    const apiId = await associatedApiId(ctx.client(AppSyncClient), found.name);
    return {
      ...found,
      children: [{ kind: "API associations (removed first)", count: apiId ? 1 : 0, ...(apiId ? { note: apiId } : {}) }],
      notes: ["its DNS record (Route 53 alias or CNAME) and its ACM certificate are not AppSync's: they are kept"],
    };
  },

  async delete(ctx, found) {
    const client = ctx.client(AppSyncClient);
    if (await associatedApiId(client, found.name)) await disassociateApi(client, found.name);
    // Right after DisassociateApi the association can still be PROCESSING: ConcurrentModificationException,
    // which classifies as dependency-pending, and the engine tries again.
    await classifiedCall(`DeleteDomainName ${found.name}`, () =>
      client.send(new DeleteDomainNameCommand({ domainName: found.name })),
    );
  },

  async verify(ctx, found) {
    const domain = await readOrUndefined(() =>
      ctx.client(AppSyncClient).send(new GetDomainNameCommand({ domainName: found.name })),
    );
    return domain ? "present" : "gone";
  },
});
