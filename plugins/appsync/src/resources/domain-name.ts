import { AppSyncClient, DeleteDomainNameCommand, GetDomainNameCommand } from "@aws-sdk/client-appsync";
import {
  awsErrorBehind,
  classifyAwsError,
  defineResource,
  deleteWithPlannedChildren,
  readOrUndefined,
  type Found,
} from "@cleanup-runner/plugin-kit";
import { associatedApiId, disassociateApi, listDomainNames, planningAssociations } from "../api-associations.js";

/** The domain's API association as the plan saw it: `apiId` undefined when none was. */
interface Association {
  readonly apiId: string | undefined;
}

/**
 * The association describe recorded (`associatedApi`: an API id, or null for
 * none); undefined when the plan has none recorded (an older plan file).
 */
function plannedAssociation(found: Found): Association | undefined {
  const recorded = found.details?.associatedApi;
  if (recorded === null) return { apiId: undefined };
  return typeof recorded === "string" ? { apiId: recorded } : undefined;
}

/**
 * DeleteDomainName refused because an API is still associated with the
 * domain ("Domain name must be disassociated before it can be deleted"):
 * one the plan did not see. Judged by AWS's own answer: the message of a
 * classified DisassociateApi failure names the call, which would match.
 */
function refusedForAssociation(error: unknown): boolean {
  const { name, message } = awsErrorBehind(error);
  return name !== "NotFoundException" && /associat/i.test(message ?? "");
}

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
    const client = ctx.client(AppSyncClient);
    // The region's associations, read once per run for these and the GraphQL APIs; a domain made
    // since that read is asked alone.
    const associations = await planningAssociations(client);
    const apiId = associations.has(found.name)
      ? associations.get(found.name)
      : await associatedApiId(client, found.name);
    return {
      ...found,
      details: { ...found.details, associatedApi: apiId ?? null },
      children: [{ kind: "API associations (removed first)", count: apiId ? 1 : 0, ...(apiId ? { note: apiId } : {}) }],
      notes: ["its DNS record (Route 53 alias or CNAME) and its ACM certificate are not AppSync's: they are kept"],
    };
  },

  async delete(ctx, found) {
    const client = ctx.client(AppSyncClient);
    try {
      await deleteWithPlannedChildren(
        plannedAssociation(found),
        async (): Promise<Association> => ({ apiId: await associatedApiId(client, found.name) }),
        async ({ apiId }) => {
          if (apiId) await disassociateApi(client, found.name);
          await client.send(new DeleteDomainNameCommand({ domainName: found.name }));
        },
        refusedForAssociation,
      );
    } catch (error) {
      // Right after DisassociateApi the association can still be PROCESSING: ConcurrentModificationException,
      // which classifies as dependency-pending, and the engine tries again.
      throw classifyAwsError(error, `DeleteDomainName ${found.name}`);
    }
  },

  async verify(ctx, found) {
    const domain = await readOrUndefined(() =>
      ctx.client(AppSyncClient).send(new GetDomainNameCommand({ domainName: found.name })),
    );
    return domain ? "present" : "gone";
  },
});
