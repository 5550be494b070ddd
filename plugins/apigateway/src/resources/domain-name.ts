import {
  APIGatewayClient,
  DeleteDomainNameCommand,
  GetDomainNameCommand,
  paginateGetBasePathMappings,
  paginateGetDomainNames,
} from "@aws-sdk/client-api-gateway";
import {
  ApiGatewayV2Client,
  DeleteDomainNameCommand as DeleteV2DomainNameCommand,
  GetApiMappingsCommand,
  GetDomainNameCommand as GetV2DomainNameCommand,
  GetDomainNamesCommand as GetV2DomainNamesCommand,
} from "@aws-sdk/client-apigatewayv2";
import {
  classifiedCall,
  defineResource,
  pages,
  readOrUndefined,
  type Child,
  type Found,
  type ResourceContext,
} from "@cleanup-runner/plugin-kit";

/** Which API Gateway API manages the domain: v1 (REST) or v2 (HTTP, WebSocket). */
type DomainApi = "v1" | "v2";

interface DomainDetails {
  readonly api: DomainApi;
  /** Set for a private custom domain name (v1), which shares its name with a public one. */
  readonly domainNameId?: string;
}

function domainDetails(found: Found): DomainDetails {
  const details = found.details as Partial<DomainDetails> | undefined;
  return { api: details?.api ?? "v1", ...(details?.domainNameId ? { domainNameId: details.domainNameId } : {}) };
}

/**
 * A custom domain name of API Gateway, with its base path / API mappings.
 *
 * One type covers v1 and v2: a Regional custom domain is one resource that
 * both APIs list (and can map REST and HTTP APIs alike), so the name is the id
 * and a name v1 already listed is not yielded again from v2. Edge-optimized
 * and private domains exist only in v1; a private one shares its name with a
 * public one, so its id is `name+domainNameId`, as in its ARN.
 */
export const domainName = defineResource({
  type: "apigateway.domain-name",
  description: "An API Gateway custom domain name (REST, HTTP or WebSocket) with its base path and API mappings.",
  scope: "regional",
  deletesWith: ["base path mappings", "API mappings"],
  // DeleteDomainName: 1 call per 30 s per account, a quota AWS does not raise.
  rateBudgets: [{ key: "apigateway:DeleteDomainName", calls: 1, perMs: 30_000, scope: "account" }],

  async *discover(ctx) {
    const publicNames = new Set<string>();
    const v1 = ctx.client(APIGatewayClient);
    for await (const page of paginateGetDomainNames({ client: v1, pageSize: 500 }, {})) {
      for (const domain of page.items ?? []) {
        if (!domain.domainName) continue;
        const { domainName: name, domainNameId } = domain;
        if (!domainNameId) publicNames.add(name);
        yield {
          id: domainNameId ? `${name}+${domainNameId}` : name,
          name,
          arn: domain.domainNameArn ?? `arn:${ctx.partition}:apigateway:${ctx.region}::/domainnames/${name}`,
          tags: { ...domain.tags },
          details: { api: "v1", ...(domainNameId ? { domainNameId } : {}) },
        };
      }
    }
    const v2 = ctx.client(ApiGatewayV2Client);
    for await (const page of pages(
      (NextToken: string | undefined) => v2.send(new GetV2DomainNamesCommand({ NextToken, MaxResults: "500" })),
      (page) => page.NextToken || undefined,
    )) {
      for (const domain of page.Items ?? []) {
        if (!domain.DomainName || publicNames.has(domain.DomainName)) continue;
        yield {
          id: domain.DomainName,
          name: domain.DomainName,
          arn:
            domain.DomainNameArn ?? `arn:${ctx.partition}:apigateway:${ctx.region}::/domainnames/${domain.DomainName}`,
          tags: { ...domain.Tags },
          details: { api: "v2" },
        };
      }
    }
  },

  async describe(ctx, found) {
    const mappings = await listMappings(ctx, found);
    return {
      ...found,
      children: [mappings],
      notes: ["its DNS record (Route 53 alias or CNAME) and its ACM certificate are not API Gateway's: they are kept"],
    };
  },

  async delete(ctx, found) {
    const { api, domainNameId } = domainDetails(found);
    // The mappings go with the domain; the APIs they point to are not touched.
    await classifiedCall(`DeleteDomainName ${found.id}`, () =>
      api === "v1"
        ? ctx.client(APIGatewayClient).send(new DeleteDomainNameCommand({ domainName: found.name, domainNameId }))
        : ctx.client(ApiGatewayV2Client).send(new DeleteV2DomainNameCommand({ DomainName: found.name })),
    );
  },

  async verify(ctx, found) {
    const { api, domainNameId } = domainDetails(found);
    const domain = await readOrUndefined(() =>
      api === "v1"
        ? ctx.client(APIGatewayClient).send(new GetDomainNameCommand({ domainName: found.name, domainNameId }))
        : ctx.client(ApiGatewayV2Client).send(new GetV2DomainNameCommand({ DomainName: found.name })),
    );
    return domain ? "present" : "gone";
  },
});

/** The domain's mappings, each as `path -> api/stage`: base path mappings (v1) or API mappings (v2). */
async function listMappings(ctx: ResourceContext, found: Found): Promise<Child> {
  const { api } = domainDetails(found);
  const mappings = await classifiedCall(`list the mappings of ${found.id}`, () =>
    api === "v1" ? basePathMappings(ctx, found) : apiMappings(ctx, found),
  );
  const kind = api === "v1" ? "base path mappings" : "API mappings";
  return { kind, count: mappings.length, ...(mappings.length ? { note: mappings.join(", ") } : {}) };
}

async function basePathMappings(ctx: ResourceContext, found: Found): Promise<string[]> {
  const { domainNameId } = domainDetails(found);
  const mappings: string[] = [];
  const client = ctx.client(APIGatewayClient);
  for await (const page of paginateGetBasePathMappings(
    { client, pageSize: 500 },
    { domainName: found.name, domainNameId },
  )) {
    for (const m of page.items ?? []) mappings.push(`${m.basePath ?? "(none)"} -> ${m.restApiId}/${m.stage ?? "*"}`);
  }
  return mappings;
}

async function apiMappings(ctx: ResourceContext, found: Found): Promise<string[]> {
  const mappings: string[] = [];
  const client = ctx.client(ApiGatewayV2Client);
  for await (const page of pages(
    (NextToken: string | undefined) => client.send(new GetApiMappingsCommand({ DomainName: found.name, NextToken })),
    (page) => page.NextToken || undefined,
  )) {
    for (const m of page.Items ?? []) mappings.push(`${m.ApiMappingKey || "(none)"} -> ${m.ApiId}/${m.Stage}`);
  }
  return mappings;
}
