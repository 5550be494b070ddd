import {
  AppSyncClient,
  DeleteGraphqlApiCommand,
  GetGraphqlApiCommand,
  paginateListApiKeys,
  paginateListDataSources,
  paginateListFunctions,
  paginateListGraphqlApis,
} from "@aws-sdk/client-appsync";
import {
  awsErrorBehind,
  classifyAwsError,
  defineResource,
  deleteWithPlannedChildren,
  isStringArray,
  NotFoundError,
  readOrUndefined,
  type Child,
  type Found,
} from "@cleanup-runner/plugin-kit";
import { associatedApiId, disassociateApi, domainsOfApi, planningDomainsOfApi } from "../api-associations.js";

/**
 * Counts what one paged listing returns; undefined when the listing answers
 * NotFound (the API vanished meanwhile, or an emulator lacks the call), so
 * the plan shows the kind without a count rather than failing.
 */
async function countPages<Page>(
  what: string,
  listing: () => AsyncIterable<Page>,
  size: (page: Page) => number,
): Promise<number | undefined> {
  return readOrUndefined(async () => {
    let count = 0;
    for await (const page of listing()) count += size(page);
    return count;
  }, what);
}

function serverError(error: unknown): boolean {
  return ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0) >= 500;
}

/** GetGraphqlApi; undefined when the API does not exist. */
async function readGraphqlApi(client: AppSyncClient, apiId: string) {
  return readOrUndefined(() => client.send(new GetGraphqlApiCommand({ apiId })));
}

/**
 * DeleteGraphqlApi refused because a custom domain is still associated with
 * the API ("API can not be deleted as it is associated to a domain"): one
 * the plan did not see.
 */
function refusedForDomain(error: unknown): boolean {
  // AWS's own answer, not a classified DisassociateApi failure's message, which names the domain.
  const { name, message } = awsErrorBehind(error);
  return name !== "NotFoundException" && /associated/i.test(message ?? "") && /domain/i.test(message ?? "");
}

/**
 * Custom domains to disassociate from the API; `confirmed` when a fresh read
 * found them associated with it, not when the plan recorded them.
 */
interface Domains {
  readonly names: readonly string[];
  readonly confirmed: boolean;
}

/** The custom domains describe found associated with the API; undefined when the plan has none recorded. */
function plannedDomains(found: Found): Domains | undefined {
  const domains = found.details?.domains;
  return isStringArray(domains) ? { names: domains, confirmed: false } : undefined;
}

function counted(kind: string, count: number | undefined): Child {
  return count === undefined ? { kind, note: "not counted: the listing answered NotFound" } : { kind, count };
}

/** An AppSync GraphQL API, deleted with its data sources, resolvers, functions and API keys. */
export const graphqlApi = defineResource({
  type: "appsync.graphql-api",
  description: "An AppSync GraphQL API with its schema, data sources, resolvers, functions and API keys.",
  scope: "regional",
  // The domain owns the association: deleting the domain first removes it, so the two never race on it.
  dependsOn: ["appsync.domain-name"],
  deletesWith: ["schema", "data sources", "resolvers", "functions", "API keys", "caches"],

  async *discover(ctx) {
    const client = ctx.client(AppSyncClient);
    // APIs shared from other accounts are listed too unless asked not to: never plan those.
    for await (const page of paginateListGraphqlApis({ client, pageSize: 25 }, { owner: "CURRENT_ACCOUNT" })) {
      for (const api of page.graphqlApis ?? []) {
        if (!api.apiId) continue;
        yield {
          id: api.apiId,
          name: api.name ?? api.apiId,
          ...(api.arn ? { arn: api.arn } : {}),
          tags: { ...api.tags },
          details: { apiType: api.apiType ?? "GRAPHQL" },
        };
      }
    }
  },

  async describe(ctx, found) {
    const client = ctx.client(AppSyncClient);
    const apiId = found.id;
    const dataSources = await countPages(
      `ListDataSources ${apiId}`,
      () => paginateListDataSources({ client, pageSize: 25 }, { apiId }),
      (page) => page.dataSources?.length ?? 0,
    );
    const functions = await countPages(
      `ListFunctions ${apiId}`,
      () => paginateListFunctions({ client, pageSize: 25 }, { apiId }),
      (page) => page.functions?.length ?? 0,
    );
    const apiKeys = await countPages(
      `ListApiKeys ${apiId}`,
      () => paginateListApiKeys({ client, pageSize: 25 }, { apiId }),
      (page) => page.apiKeys?.length ?? 0,
    );
    const domains = await planningDomainsOfApi(client, apiId);
    const children: Child[] = [
      counted("data sources", dataSources),
      counted("functions", functions),
      counted("API keys", apiKeys),
      // Resolvers are listed per schema type: one call per type is not worth a count in a plan.
      { kind: "resolvers", note: "not counted (ListResolvers takes one call per schema type)" },
    ];
    if (domains.length > 0) {
      children.push({
        kind: "custom domain associations (removed first)",
        count: domains.length,
        note: domains.join(", "),
      });
    }
    const notes =
      found.details?.apiType === "MERGED"
        ? ["a merged API: the source APIs merged into it are not deleted with it"]
        : [];
    return { ...found, children, notes, details: { ...found.details, domains } };
  },

  async delete(ctx, found) {
    const client = ctx.client(AppSyncClient);
    try {
      await deleteWithPlannedChildren(
        plannedDomains(found),
        async () => ({ names: await domainsOfApi(client, found.id), confirmed: true }),
        async ({ names, confirmed }) => {
          for (const domainName of names) {
            // DisassociateApi names only the domain: a domain the plan saw with this API may since
            // serve another API, whose association is not this delete's to remove. A domain planned
            // with appsync.domain-name went first and took its association with it.
            if (!confirmed && (await associatedApiId(client, domainName)) !== found.id) continue;
            await disassociateApi(client, domainName);
          }
          await client.send(new DeleteGraphqlApiCommand({ apiId: found.id }));
        },
        refusedForDomain,
      );
    } catch (error) {
      const what = `DeleteGraphqlApi ${found.name}`;
      // AWS documents NotFoundException for an unknown id; moto answers 500. A server error
      // is checked with a fresh read so that an API already gone counts as deleted.
      if (serverError(error) && !(await readGraphqlApi(client, found.id))) {
        throw new NotFoundError(`${what}: the GraphQL API does not exist`, { cause: error });
      }
      // ConcurrentModificationException (a disassociation still in progress) is classified as dependency-pending.
      throw classifyAwsError(error, what);
    }
  },

  async verify(ctx, found) {
    return (await readGraphqlApi(ctx.client(AppSyncClient), found.id)) ? "present" : "gone";
  },
});
