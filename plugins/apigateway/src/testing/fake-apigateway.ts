/**
 * An in-memory API Gateway account (v1 and v2 APIs) for unit and contract
 * tests, installed on aws-sdk-client-mock stubs by the API reference's rules:
 * - v1 lists page by `position` with `limit` 1..500 (BadRequestException
 *   past that), v2 lists by `NextToken`; every list answers at most
 *   `pageSize` items whatever the limit asks, so a reader that stops after
 *   one page is caught.
 * - A custom domain is one resource both APIs see: v1 lists every domain
 *   (edge-optimized, Regional and private ones, the private ones with their
 *   `domainNameId`), v2 only the Regional ones ("Only REGIONAL domain names
 *   can be managed through the API Gateway V2 API"). Its mappings are the
 *   v1 base path mappings and the v2 API mappings alike.
 * - DeleteRestApi and DeleteApi are refused (BadRequestException) while a
 *   custom domain still maps the API; a usage plan is refused deletion while
 *   it serves a stage. Unknown ids are NotFoundException (HTTP 404).
 */
import {
  APIGatewayClient,
  BadRequestException,
  DeleteApiKeyCommand,
  DeleteDomainNameCommand,
  DeleteRestApiCommand,
  DeleteUsagePlanCommand,
  GetBasePathMappingsCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlanCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  NotFoundException,
  UpdateUsagePlanCommand,
  type DomainName,
  type RestApi,
  type UsagePlan,
} from "@aws-sdk/client-api-gateway";
import {
  ApiGatewayV2Client,
  BadRequestException as V2BadRequestException,
  DeleteApiCommand,
  DeleteDomainNameCommand as DeleteV2DomainNameCommand,
  GetApiCommand,
  GetApiMappingsCommand,
  GetApisCommand,
  GetDomainNameCommand as GetV2DomainNameCommand,
  GetDomainNamesCommand as GetV2DomainNamesCommand,
  GetRoutesCommand,
  GetStagesCommand as GetV2StagesCommand,
  NotFoundException as V2NotFoundException,
  type Api,
  type DomainName as V2DomainName,
} from "@aws-sdk/client-apigatewayv2";
import type { AwsClientStub } from "aws-sdk-client-mock";

/** A REST API (v1) as the fake keeps it. */
export interface FakeRestApi {
  readonly id: string;
  readonly name: string;
  readonly tags: Record<string, string>;
  readonly createdDate: Date;
  readonly stages: string[];
}

/** A usage plan as the fake keeps it: the SDK's shape plus the API keys it holds. */
export type FakeUsagePlan = UsagePlan & { keys: { id: string; name: string }[] };

/** An HTTP or WebSocket API (v2) as the fake keeps it. */
export interface FakeV2Api {
  readonly id: string;
  readonly name: string;
  readonly protocol: "HTTP" | "WEBSOCKET";
  readonly tags: Record<string, string>;
  readonly createdDate: Date;
  readonly stages: string[];
  readonly routes: string[];
  /** Made by API Gateway for another service (ApiGatewayManaged). */
  readonly managed?: boolean;
}

/** A mapping of a custom domain to an API's stage (a v1 base path mapping, a v2 API mapping). */
export interface FakeMapping {
  /** The base path / API mapping key; empty for the root. */
  readonly key: string;
  readonly apiId: string;
  readonly stage: string;
}

/** A custom domain name as the fake keeps it. */
export interface FakeDomain {
  readonly name: string;
  readonly endpointType: "EDGE" | "REGIONAL" | "PRIVATE";
  /** Set for a private domain: it shares its name with a public one, its id tells them apart. */
  readonly domainNameId?: string;
  readonly tags: Record<string, string>;
  readonly mappings: FakeMapping[];
}

/** The stubs of both API Gateway clients. */
export interface ApiGatewayStubs {
  readonly v1: AwsClientStub<APIGatewayClient>;
  readonly v2: AwsClientStub<ApiGatewayV2Client>;
}

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const notFound = (message: string) => new NotFoundException({ message, ...meta(404) });
const badRequest = (message: string) => new BadRequestException({ message, ...meta(400) });
const v2NotFound = (message: string) => new V2NotFoundException({ message, ...meta(404) });
const v2BadRequest = (message: string) => new V2BadRequestException({ message, ...meta(400) });

/** The v1 page size rule: `limit` 1..500, 25 when left out. */
function v1Limit(limit: number | undefined): number {
  if (limit !== undefined && (limit < 1 || limit > 500)) {
    throw badRequest(`limit must be between 1 and 500, got ${limit}`);
  }
  return limit ?? 25;
}

/**
 * One page from `token` (an offset this fake handed out): at most `limit`
 * and `pageSize` items, and the token of the next page while any are left.
 */
function pageOf<T>(
  items: readonly T[],
  token: string | undefined,
  limit: number,
  pageSize: number,
  invalid: (message: string) => Error,
): { page: T[]; next?: string } {
  const start = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw invalid(`Invalid pagination token ${token}`);
  const end = start + Math.min(limit, pageSize);
  return { page: items.slice(start, end), ...(end < items.length ? { next: String(end) } : {}) };
}

/** The in-memory API Gateway. Seed it with the `add*` methods, then `install` it on the stubs. */
export class FakeApiGateway {
  readonly restApis = new Map<string, FakeRestApi>();
  readonly v2Apis = new Map<string, FakeV2Api>();
  readonly usagePlans: FakeUsagePlan[] = [];
  /** Ids of the API keys that exist. */
  readonly apiKeys = new Set<string>();
  readonly domains: FakeDomain[] = [];
  private nextId = 0;

  /** @param pageSize The most items any list answers, whatever its limit asks. */
  constructor(readonly pageSize = 500) {}

  addRestApi(api: Partial<FakeRestApi> & { name: string }): FakeRestApi {
    const full: FakeRestApi = {
      id: this.newId("r"),
      tags: {},
      createdDate: new Date("2024-03-01T10:00:00Z"),
      stages: [],
      ...api,
    };
    this.restApis.set(full.id, full);
    return full;
  }

  addV2Api(api: Partial<FakeV2Api> & Pick<FakeV2Api, "name" | "protocol">): FakeV2Api {
    const full: FakeV2Api = {
      id: this.newId(api.protocol === "HTTP" ? "h" : "w"),
      tags: {},
      createdDate: new Date("2024-05-02T08:00:00Z"),
      stages: [],
      routes: [],
      ...api,
    };
    this.v2Apis.set(full.id, full);
    return full;
  }

  /** A usage plan; its API keys come to exist with it. */
  addUsagePlan(plan: FakeUsagePlan): FakeUsagePlan {
    this.usagePlans.push(plan);
    for (const key of plan.keys) this.apiKeys.add(key.id);
    return plan;
  }

  addDomain(domain: Partial<FakeDomain> & Pick<FakeDomain, "name" | "endpointType">): FakeDomain {
    const full: FakeDomain = {
      tags: {},
      mappings: [],
      ...(domain.endpointType === "PRIVATE" ? { domainNameId: this.newId("d") } : {}),
      ...domain,
    };
    this.domains.push(full);
    return full;
  }

  /** Answers every API Gateway v1 and v2 call the plugin makes from this state. */
  install({ v1, v2 }: ApiGatewayStubs): void {
    this.installRestApis(v1);
    this.installUsagePlans(v1);
    this.installDomains({ v1, v2 });
    this.installV2Apis(v2);
  }

  /** GetRestApis, GetRestApi, GetStages, DeleteRestApi. */
  installRestApis(v1: AwsClientStub<APIGatewayClient>): void {
    v1.on(GetRestApisCommand).callsFake((input: { limit?: number; position?: string }) => {
      return this.v1Page([...this.restApis.values()], input, (api) => this.restApiShape(api));
    });
    v1.on(GetRestApiCommand).callsFake((input: { restApiId: string }) =>
      this.restApiShape(this.restApi(input.restApiId)),
    );
    v1.on(GetStagesCommand).callsFake((input: { restApiId: string }) => ({
      item: this.restApi(input.restApiId).stages.map((stageName) => ({ stageName, deploymentId: "dep1" })),
    }));
    v1.on(DeleteRestApiCommand).callsFake((input: { restApiId: string }) => {
      const api = this.restApi(input.restApiId);
      const mappedBy = this.domainsMapping(api.id);
      if (mappedBy.length > 0) {
        throw badRequest(
          `Deleting RestApi ${api.id} failed. Please remove all base path mappings related to the RestApi ` +
            `in your domains: ${mappedBy.join(", ")}.`,
        );
      }
      this.restApis.delete(api.id);
      return {};
    });
  }

  /** GetUsagePlans (by key too), GetUsagePlan, GetUsagePlanKeys, UpdateUsagePlan, DeleteUsagePlan, DeleteApiKey. */
  installUsagePlans(v1: AwsClientStub<APIGatewayClient>): void {
    v1.on(GetUsagePlansCommand).callsFake((input: { keyId?: string; limit?: number; position?: string }) => {
      if (input.keyId && !this.apiKeys.has(input.keyId)) throw notFound("Invalid API Key identifier specified");
      const plans = this.usagePlans.filter((p) => !input.keyId || p.keys.some((k) => k.id === input.keyId));
      return this.v1Page(plans, input, ({ keys: _keys, ...plan }) => plan);
    });
    v1.on(GetUsagePlanCommand).callsFake((input: { usagePlanId: string }) => {
      const { keys: _keys, ...plan } = this.usagePlan(input.usagePlanId);
      return plan;
    });
    v1.on(GetUsagePlanKeysCommand).callsFake((input: { usagePlanId: string; limit?: number; position?: string }) => {
      const { keys } = this.usagePlan(input.usagePlanId);
      return this.v1Page(keys, input, (k) => ({ ...k, type: "API_KEY", value: "secret" }));
    });
    v1.on(UpdateUsagePlanCommand).callsFake(
      (input: { usagePlanId: string; patchOperations: { op: string; path: string; value: string }[] }) => {
        const plan = this.usagePlan(input.usagePlanId);
        for (const op of input.patchOperations) {
          if (op.op !== "remove" || op.path !== "/apiStages") throw badRequest(`Invalid patch path '${op.path}'`);
          const [apiId, stage] = op.value.split(":");
          const index = (plan.apiStages ?? []).findIndex((s) => s.apiId === apiId && s.stage === stage);
          if (index < 0) throw badRequest("Invalid API Stage specified");
          plan.apiStages?.splice(index, 1);
        }
        return plan;
      },
    );
    v1.on(DeleteUsagePlanCommand).callsFake((input: { usagePlanId: string }) => {
      const plan = this.usagePlan(input.usagePlanId);
      const stage = plan.apiStages?.[0];
      if (stage) {
        throw badRequest(
          `Cannot delete Usage Plan ${plan.id} because there are API Stages associated with it, ` +
            `including ${stage.apiId}:${stage.stage}`,
        );
      }
      this.usagePlans.splice(this.usagePlans.indexOf(plan), 1);
      return {};
    });
    v1.on(DeleteApiKeyCommand).callsFake((input: { apiKey: string }) => {
      if (!this.apiKeys.delete(input.apiKey)) throw notFound("Invalid API Key identifier specified");
      // A deleted key leaves every usage plan that held it.
      for (const plan of this.usagePlans) plan.keys = plan.keys.filter((k) => k.id !== input.apiKey);
      return {};
    });
  }

  /** The custom domains, through v1 (every kind) and v2 (Regional ones). */
  installDomains({ v1, v2 }: ApiGatewayStubs): void {
    v1.on(GetDomainNamesCommand).callsFake((input: { limit?: number; position?: string }) => {
      return this.v1Page(this.domains, input, (d) => this.domainShape(d));
    });
    v1.on(GetDomainNameCommand).callsFake((input: { domainName: string; domainNameId?: string }) =>
      this.domainShape(this.v1Domain(input.domainName, input.domainNameId)),
    );
    v1.on(GetBasePathMappingsCommand).callsFake(
      (input: { domainName: string; domainNameId?: string; limit?: number; position?: string }) => {
        const { mappings } = this.v1Domain(input.domainName, input.domainNameId);
        return this.v1Page(mappings, input, (m) => ({
          basePath: m.key || "(none)",
          restApiId: m.apiId,
          stage: m.stage,
        }));
      },
    );
    v1.on(DeleteDomainNameCommand).callsFake((input: { domainName: string; domainNameId?: string }) => {
      const domain = this.v1Domain(input.domainName, input.domainNameId);
      this.domains.splice(this.domains.indexOf(domain), 1);
      return {};
    });

    const regional = () => this.domains.filter((d) => d.endpointType === "REGIONAL");
    v2.on(GetV2DomainNamesCommand).callsFake((input: { MaxResults?: string; NextToken?: string }) => {
      return this.v2Page(regional(), input, (d) => this.v2DomainShape(d));
    });
    v2.on(GetV2DomainNameCommand).callsFake((input: { DomainName: string }) =>
      this.v2DomainShape(this.v2Domain(input.DomainName)),
    );
    v2.on(GetApiMappingsCommand).callsFake((input: { DomainName: string; MaxResults?: string; NextToken?: string }) => {
      const { mappings } = this.v2Domain(input.DomainName);
      return this.v2Page(mappings, input, (m) => ({
        ApiMappingKey: m.key,
        ApiId: m.apiId,
        Stage: m.stage,
        ApiMappingId: `m-${m.apiId}`,
      }));
    });
    v2.on(DeleteV2DomainNameCommand).callsFake((input: { DomainName: string }) => {
      const domain = this.domains.find((d) => d.name === input.DomainName && !d.domainNameId);
      if (domain?.endpointType === "EDGE") {
        throw v2BadRequest(
          "Only REGIONAL domain names can be managed through the API Gateway V2 API. " +
            "For EDGE domain names, please use the API Gateway V1 API.",
        );
      }
      this.domains.splice(this.domains.indexOf(this.v2Domain(input.DomainName)), 1);
      return {};
    });
  }

  /** GetApis, GetApi, GetStages, GetRoutes, DeleteApi (HTTP and WebSocket APIs). */
  installV2Apis(v2: AwsClientStub<ApiGatewayV2Client>): void {
    v2.on(GetApisCommand).callsFake((input: { MaxResults?: string; NextToken?: string }) => {
      return this.v2Page([...this.v2Apis.values()], input, (api) => this.v2ApiShape(api));
    });
    v2.on(GetApiCommand).callsFake((input: { ApiId: string }) => this.v2ApiShape(this.v2Api(input.ApiId)));
    v2.on(GetV2StagesCommand).callsFake((input: { ApiId: string; MaxResults?: string; NextToken?: string }) => {
      const { stages } = this.v2Api(input.ApiId);
      return this.v2Page(stages, input, (StageName) => ({ StageName }));
    });
    v2.on(GetRoutesCommand).callsFake((input: { ApiId: string; MaxResults?: string; NextToken?: string }) => {
      const { routes } = this.v2Api(input.ApiId);
      return this.v2Page(routes, input, (RouteKey) => ({ RouteKey, RouteId: RouteKey }));
    });
    v2.on(DeleteApiCommand).callsFake((input: { ApiId: string }) => {
      const api = this.v2Api(input.ApiId);
      if (this.domainsMapping(api.id).length > 0) {
        throw v2BadRequest(
          `Deleting API ${api.id} failed. Please remove all API mappings for the API from your custom domain names.`,
        );
      }
      this.v2Apis.delete(api.id);
      return {};
    });
  }

  /** Names of the custom domains that map the API. */
  domainsMapping(apiId: string): string[] {
    return this.domains.filter((d) => d.mappings.some((m) => m.apiId === apiId)).map((d) => d.name);
  }

  /** A v1 list answer: the page of `items` from `input.position`, and the next position while any are left. */
  private v1Page<T, R>(items: readonly T[], input: { limit?: number; position?: string }, shape: (item: T) => R) {
    const { page, next } = pageOf(items, input.position, v1Limit(input.limit), this.pageSize, badRequest);
    return { items: page.map(shape), ...(next ? { position: next } : {}) };
  }

  /** A v2 list answer: the page of `items` from `input.NextToken`, and the next token while any are left. */
  private v2Page<T, R>(items: readonly T[], input: { MaxResults?: string; NextToken?: string }, shape: (item: T) => R) {
    const { page, next } = pageOf(items, input.NextToken, Number(input.MaxResults ?? 500), this.pageSize, v2BadRequest);
    return { Items: page.map(shape), ...(next ? { NextToken: next } : {}) };
  }

  private newId(prefix: string): string {
    this.nextId += 1;
    return `${prefix}${String(this.nextId).padStart(9, "0")}`;
  }

  private restApi(id: string): FakeRestApi {
    const api = this.restApis.get(id);
    if (!api) throw notFound(`Invalid API identifier specified ${id}`);
    return api;
  }

  private usagePlan(id: string): FakeUsagePlan {
    const plan = this.usagePlans.find((p) => p.id === id);
    if (!plan) throw notFound("Invalid Usage Plan ID specified");
    return plan;
  }

  private v2Api(id: string): FakeV2Api {
    const api = this.v2Apis.get(id);
    if (!api) throw v2NotFound(`Invalid API identifier specified ${id}`);
    return api;
  }

  /** By name, and by `domainNameId` for a private domain (without it, the public domain of that name). */
  private v1Domain(name: string, domainNameId: string | undefined): FakeDomain {
    const domain = this.domains.find((d) => d.name === name && d.domainNameId === domainNameId);
    if (!domain) throw notFound("Invalid domain name identifier specified");
    return domain;
  }

  private v2Domain(name: string): FakeDomain {
    const domain = this.domains.find((d) => d.name === name && d.endpointType === "REGIONAL");
    if (!domain) throw v2NotFound(`The domain name resource specified in the request was not found: ${name}`);
    return domain;
  }

  private restApiShape(api: FakeRestApi): RestApi {
    return { id: api.id, name: api.name, createdDate: api.createdDate, tags: { ...api.tags } };
  }

  private v2ApiShape(api: FakeV2Api): Api {
    return {
      ApiId: api.id,
      Name: api.name,
      ProtocolType: api.protocol,
      RouteSelectionExpression: api.protocol === "HTTP" ? "$request.method $request.path" : "$request.body.action",
      CreatedDate: api.createdDate,
      Tags: { ...api.tags },
      ...(api.managed ? { ApiGatewayManaged: true } : {}),
    };
  }

  /** A private domain's ARN names the account and its id; a public one's does not. */
  private domainArn(domain: FakeDomain): string {
    return domain.domainNameId
      ? `arn:aws:apigateway:us-east-1:123456789012:/domainnames/${domain.name}+${domain.domainNameId}`
      : `arn:aws:apigateway:us-east-1::/domainnames/${domain.name}`;
  }

  private domainShape(domain: FakeDomain): DomainName {
    return {
      domainName: domain.name,
      domainNameArn: this.domainArn(domain),
      ...(domain.domainNameId ? { domainNameId: domain.domainNameId } : {}),
      endpointConfiguration: { types: [domain.endpointType] },
      domainNameStatus: "AVAILABLE",
      tags: { ...domain.tags },
    };
  }

  private v2DomainShape(domain: FakeDomain): V2DomainName {
    return {
      DomainName: domain.name,
      DomainNameArn: this.domainArn(domain),
      DomainNameConfigurations: [{ EndpointType: "REGIONAL", DomainNameStatus: "AVAILABLE" }],
      Tags: { ...domain.tags },
    };
  }
}
