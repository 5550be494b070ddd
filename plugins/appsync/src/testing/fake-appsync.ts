/**
 * An in-memory AppSync account for unit and contract tests, installed on an
 * aws-sdk-client-mock stub by the API reference's rules:
 * - every List call pages by `nextToken` with `maxResults` 0..25
 *   (BadRequestException past that) and answers at most `pageSize` items;
 * - ListGraphqlApis lists the APIs other accounts share with this one too,
 *   unless `owner` is CURRENT_ACCOUNT;
 * - a custom domain holds at most one API association: GetApiAssociation and
 *   DisassociateApi are NotFoundException when it has none, and
 *   DeleteDomainName is refused (ConcurrentModificationException, 409)
 *   while it has one; DeleteGraphqlApi is refused the same way while a
 *   domain is associated with the API (the rule graphql-api's delete keeps
 *   by disassociating first). Unknown ids are NotFoundException (404).
 */
import {
  AppSyncClient,
  BadRequestException,
  ConcurrentModificationException,
  DeleteDomainNameCommand,
  DeleteGraphqlApiCommand,
  DisassociateApiCommand,
  GetApiAssociationCommand,
  GetDomainNameCommand,
  GetGraphqlApiCommand,
  ListApiKeysCommand,
  ListDataSourcesCommand,
  ListDomainNamesCommand,
  ListFunctionsCommand,
  ListGraphqlApisCommand,
  NotFoundException,
  type DomainNameConfig,
  type GraphqlApi,
} from "@aws-sdk/client-appsync";
import type { AwsClientStub } from "aws-sdk-client-mock";

/** A GraphQL API as the fake keeps it. */
export interface FakeGraphqlApi {
  readonly id: string;
  readonly name: string;
  readonly tags: Record<string, string>;
  readonly apiType: "GRAPHQL" | "MERGED";
  /** OTHER_ACCOUNTS: shared with this account by another one (AWS RAM). */
  readonly owner: "CURRENT_ACCOUNT" | "OTHER_ACCOUNTS";
  readonly dataSources: string[];
  readonly functions: string[];
  readonly apiKeys: string[];
}

/** A custom domain name as the fake keeps it. */
export interface FakeAppSyncDomain {
  readonly name: string;
  readonly tags: Record<string, string>;
  /** The associated API, if any. */
  apiId?: string;
}

interface PageInput {
  maxResults?: number;
  nextToken?: string;
}

const accountId = "123456789012";
const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const notFound = (message: string) => new NotFoundException({ message, ...meta(404) });
const badRequest = (message: string) => new BadRequestException({ message, ...meta(400) });
const concurrentModification = (message: string) => new ConcurrentModificationException({ message, ...meta(409) });

/** The in-memory AppSync. Seed it with the `add*` methods, then `install` it on a stub. */
export class FakeAppSync {
  readonly apis = new Map<string, FakeGraphqlApi>();
  readonly domains = new Map<string, FakeAppSyncDomain>();
  private nextId = 0;

  /** @param pageSize The most items any list answers, whatever `maxResults` asks. */
  constructor(readonly pageSize = 25) {}

  addApi(api: Partial<FakeGraphqlApi> & { name: string }): FakeGraphqlApi {
    this.nextId += 1;
    const full: FakeGraphqlApi = {
      id: `api${String(this.nextId).padStart(10, "0")}`,
      tags: {},
      apiType: "GRAPHQL",
      owner: "CURRENT_ACCOUNT",
      dataSources: [],
      functions: [],
      apiKeys: [],
      ...api,
    };
    this.apis.set(full.id, full);
    return full;
  }

  addDomain(domain: Partial<FakeAppSyncDomain> & { name: string }): FakeAppSyncDomain {
    const full: FakeAppSyncDomain = { tags: {}, ...domain };
    this.domains.set(full.name, full);
    return full;
  }

  /** Custom domains and the API each is associated with (undefined: none), answering on `stub`. */
  static withDomains(
    stub: AwsClientStub<AppSyncClient>,
    associations: Record<string, string | undefined>,
  ): FakeAppSync {
    const fake = new FakeAppSync();
    for (const [name, apiId] of Object.entries(associations)) fake.addDomain({ name, ...(apiId ? { apiId } : {}) });
    fake.installDomains(stub);
    return fake;
  }

  /** Answers every AppSync call the plugin makes from this state. */
  install(stub: AwsClientStub<AppSyncClient>): void {
    this.installApis(stub);
    this.installDomains(stub);
  }

  /** ListGraphqlApis, GetGraphqlApi, the per-API lists, DeleteGraphqlApi. */
  installApis(stub: AwsClientStub<AppSyncClient>): void {
    stub.on(ListGraphqlApisCommand).callsFake((input: PageInput & { owner?: string; apiType?: string }) => {
      const apis = [...this.apis.values()].filter(
        (api) => (!input.owner || api.owner === input.owner) && (!input.apiType || api.apiType === input.apiType),
      );
      const { page, nextToken } = this.pageOf(apis, input);
      return { graphqlApis: page.map((api) => this.apiShape(api)), ...(nextToken ? { nextToken } : {}) };
    });
    stub.on(GetGraphqlApiCommand).callsFake((input: { apiId: string }) => ({
      graphqlApi: this.apiShape(this.api(input.apiId)),
    }));
    stub.on(ListDataSourcesCommand).callsFake((input: PageInput & { apiId: string }) => {
      const { page, nextToken } = this.pageOf(this.api(input.apiId).dataSources, input);
      return { dataSources: page.map((name) => ({ name, type: "NONE" })), ...(nextToken ? { nextToken } : {}) };
    });
    stub.on(ListFunctionsCommand).callsFake((input: PageInput & { apiId: string }) => {
      const { page, nextToken } = this.pageOf(this.api(input.apiId).functions, input);
      return { functions: page.map((name) => ({ name, functionId: name })), ...(nextToken ? { nextToken } : {}) };
    });
    stub.on(ListApiKeysCommand).callsFake((input: PageInput & { apiId: string }) => {
      const { page, nextToken } = this.pageOf(this.api(input.apiId).apiKeys, input);
      return { apiKeys: page.map((id) => ({ id })), ...(nextToken ? { nextToken } : {}) };
    });
    stub.on(DeleteGraphqlApiCommand).callsFake((input: { apiId: string }) => {
      const api = this.api(input.apiId);
      const domain = [...this.domains.values()].find((d) => d.apiId === api.id);
      if (domain) throw concurrentModification(`API ${api.id} is associated with custom domain ${domain.name}`);
      this.apis.delete(api.id);
      return {};
    });
  }

  /** ListDomainNames, GetDomainName, GetApiAssociation, DisassociateApi, DeleteDomainName. */
  installDomains(stub: AwsClientStub<AppSyncClient>): void {
    stub.on(ListDomainNamesCommand).callsFake((input: PageInput) => {
      const { page, nextToken } = this.pageOf([...this.domains.values()], input);
      return { domainNameConfigs: page.map((d) => this.domainShape(d)), ...(nextToken ? { nextToken } : {}) };
    });
    stub.on(GetDomainNameCommand).callsFake((input: { domainName: string }) => ({
      domainNameConfig: this.domainShape(this.domain(input.domainName)),
    }));
    stub.on(GetApiAssociationCommand).callsFake((input: { domainName: string }) => {
      const { name, apiId } = this.domain(input.domainName);
      if (!apiId) throw notFound(`No API association for domain ${name}`);
      return { apiAssociation: { domainName: name, apiId, associationStatus: "SUCCESS" } };
    });
    stub.on(DisassociateApiCommand).callsFake((input: { domainName: string }) => {
      const domain = this.domain(input.domainName);
      if (!domain.apiId) throw notFound(`No API association for domain ${domain.name}`);
      delete domain.apiId;
      return {};
    });
    stub.on(DeleteDomainNameCommand).callsFake((input: { domainName: string }) => {
      const domain = this.domain(input.domainName);
      if (domain.apiId) throw concurrentModification(`Domain ${domain.name} has an API association`);
      this.domains.delete(domain.name);
      return {};
    });
  }

  /** One page from `nextToken` (an offset this fake handed out), by AppSync's `maxResults` rule (0..25). */
  private pageOf<T>(items: readonly T[], input: PageInput): { page: T[]; nextToken?: string } {
    const { maxResults, nextToken } = input;
    if (maxResults !== undefined && (maxResults < 0 || maxResults > 25)) {
      throw badRequest(`maxResults must be between 0 and 25, got ${maxResults}`);
    }
    const start = nextToken === undefined ? 0 : Number(nextToken);
    if (!Number.isInteger(start) || start < 0 || start > items.length) throw badRequest("Invalid pagination token");
    const end = start + Math.min(maxResults || 25, this.pageSize);
    return { page: items.slice(start, end), ...(end < items.length ? { nextToken: String(end) } : {}) };
  }

  private api(id: string): FakeGraphqlApi {
    const api = this.apis.get(id);
    if (!api) throw notFound(`GraphQL API ${id} not found.`);
    return api;
  }

  private domain(name: string): FakeAppSyncDomain {
    const domain = this.domains.get(name);
    if (!domain) throw notFound(`Domain name ${name} not found.`);
    return domain;
  }

  private apiShape(api: FakeGraphqlApi): GraphqlApi {
    const ownerAccount = api.owner === "CURRENT_ACCOUNT" ? accountId : "210987654321";
    return {
      apiId: api.id,
      name: api.name,
      arn: `arn:aws:appsync:us-east-1:${ownerAccount}:apis/${api.id}`,
      authenticationType: "API_KEY",
      apiType: api.apiType,
      owner: ownerAccount,
      tags: { ...api.tags },
    };
  }

  private domainShape(domain: FakeAppSyncDomain): DomainNameConfig {
    return {
      domainName: domain.name,
      domainNameArn: `arn:aws:appsync:us-east-1:${accountId}:domainnames/${domain.name}`,
      certificateArn: `arn:aws:acm:us-east-1:${accountId}:certificate/contract`,
      appsyncDomainName: `${domain.name.replace(/\W/g, "")}.appsync-api.us-east-1.amazonaws.com`,
      tags: { ...domain.tags },
    };
  }
}
