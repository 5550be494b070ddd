import {
  AppSyncClient,
  ConcurrentModificationException,
  DeleteGraphqlApiCommand,
  DisassociateApiCommand,
  GetApiAssociationCommand,
  GetGraphqlApiCommand,
  InternalFailureException,
  ListApiKeysCommand,
  ListDataSourcesCommand,
  ListDomainNamesCommand,
  ListFunctionsCommand,
  ListGraphqlApisCommand,
  NotFoundException,
  UnauthorizedException,
} from "@aws-sdk/client-appsync";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { FakeAppSync } from "../testing/fake-appsync.js";
import { graphqlApi } from "./graphql-api.js";

const appsync = mockClient(AppSyncClient);
const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const notFound = (message: string) => new NotFoundException({ message, ...meta(404) });
const students = { id: "api-1", name: "student-graphql" };

/** Custom domains and which API each is associated with, on the in-memory AppSync. */
const domains = (associations: Record<string, string | undefined>) => FakeAppSync.withDomains(appsync, associations);

beforeEach(() => {
  appsync.reset();
});

describe("appsync.graphql-api discover", () => {
  it("lists this account's APIs over every page with arn and tags", async () => {
    appsync.on(ListGraphqlApisCommand).callsFake((input: { nextToken?: string }) =>
      input.nextToken === "n2"
        ? {
            graphqlApis: [
              {
                apiId: "api-9",
                name: "other-project-graphql",
                arn: "arn:aws:appsync:us-east-1:123456789012:apis/api-9",
              },
            ],
          }
        : {
            graphqlApis: [
              {
                apiId: "api-1",
                name: "student-graphql",
                arn: "arn:aws:appsync:us-east-1:123456789012:apis/api-1",
                tags: { app: "students" },
              },
            ],
            nextToken: "n2",
          },
    );
    const found = await collect(graphqlApi.discover(testContext(), {}));
    expect(found).toEqual([
      {
        id: "api-1",
        name: "student-graphql",
        arn: "arn:aws:appsync:us-east-1:123456789012:apis/api-1",
        tags: { app: "students" },
        details: { apiType: "GRAPHQL" },
      },
      {
        id: "api-9",
        name: "other-project-graphql",
        arn: "arn:aws:appsync:us-east-1:123456789012:apis/api-9",
        tags: {},
        details: { apiType: "GRAPHQL" },
      },
    ]);
    // APIs shared from other accounts must never be planned.
    expect(appsync).toHaveReceivedNthCommandWith(ListGraphqlApisCommand, 1, { owner: "CURRENT_ACCOUNT" });
    expect(appsync).toHaveReceivedNthCommandWith(ListGraphqlApisCommand, 2, {
      owner: "CURRENT_ACCOUNT",
      nextToken: "n2",
    });
  });

  it("waits for AppSync custom domains to go first", () => {
    expect(graphqlApi.dependsOn).toEqual(["appsync.domain-name"]);
  });
});

describe("appsync.graphql-api describe", () => {
  it("counts data sources, functions and API keys, leaves resolvers uncounted, and finds its custom domain", async () => {
    appsync
      .on(ListDataSourcesCommand)
      .callsFake((input: { nextToken?: string }) =>
        input.nextToken
          ? { dataSources: [{ name: "StudentsTable" }] }
          : { dataSources: [{ name: "CoursesTable" }, { name: "GradesLambda" }], nextToken: "d2" },
      );
    appsync.on(ListFunctionsCommand).resolves({ functions: [{ name: "getStudent" }] });
    appsync.on(ListApiKeysCommand).resolves({ apiKeys: [{ id: "da2-key" }] });
    domains({
      "graphql.students.example.com": "api-1",
      "graphql.other.example.com": "api-9",
      "spare.example.com": undefined,
    });

    const described = await graphqlApi.describe!(testContext(), students);
    expect(described.children).toEqual([
      { kind: "data sources", count: 3 },
      { kind: "functions", count: 1 },
      { kind: "API keys", count: 1 },
      { kind: "resolvers", note: expect.stringContaining("not counted") },
      { kind: "custom domain associations (removed first)", count: 1, note: "graphql.students.example.com" },
    ]);
    expect(described.details?.domains).toEqual(["graphql.students.example.com"]);
  });

  it("reads the region's custom domains and their associations once for every API it describes", async () => {
    appsync.on(ListDataSourcesCommand).resolves({ dataSources: [] });
    appsync.on(ListFunctionsCommand).resolves({ functions: [] });
    appsync.on(ListApiKeysCommand).resolves({ apiKeys: [] });
    domains({ "graphql.students.example.com": "api-1", "graphql.other.example.com": "api-9" });
    const run = testContext();

    const [ours, theirs, none] = await Promise.all([
      graphqlApi.describe!(run, students),
      graphqlApi.describe!(run, { id: "api-9", name: "other-project-graphql" }),
      graphqlApi.describe!(run, { id: "api-5", name: "student-spare" }),
    ]);

    expect(ours.details?.domains).toEqual(["graphql.students.example.com"]);
    expect(theirs.details?.domains).toEqual(["graphql.other.example.com"]);
    expect(none.details?.domains).toEqual([]);
    expect(appsync).toHaveReceivedCommandTimes(ListDomainNamesCommand, 1);
    expect(appsync).toHaveReceivedCommandTimes(GetApiAssociationCommand, 2);
    // Another run (a new client) reads again.
    await graphqlApi.describe!(testContext(), students);
    expect(appsync).toHaveReceivedCommandTimes(ListDomainNamesCommand, 2);
  });

  it("fails the plan on a denied read instead of hiding it as an unknown count", async () => {
    appsync
      .on(ListDataSourcesCommand)
      .rejects(
        new UnauthorizedException({ message: "not authorized to perform: appsync:ListDataSources", ...meta(401) }),
      );
    await expect(graphqlApi.describe!(testContext(), students)).rejects.toMatchObject({ kind: "access-denied" });
  });
});

describe("appsync.graphql-api delete", () => {
  it("disassociates the custom domains the plan recorded, then deletes the API, listing no domain", async () => {
    const fake = domains({ "graphql.students.example.com": "api-1", "graphql.other.example.com": "api-9" });
    appsync.on(DeleteGraphqlApiCommand).resolves({});

    await graphqlApi.delete(testContext(), { ...students, details: { domains: ["graphql.students.example.com"] } });

    expect(appsync.calls().map((c) => (c.args[0] as object).constructor.name)).toEqual([
      "GetApiAssociationCommand",
      "DisassociateApiCommand",
      "DeleteGraphqlApiCommand",
    ]);
    expect(appsync).toHaveReceivedCommandWith(DisassociateApiCommand, { domainName: "graphql.students.example.com" });
    expect(fake.domains.get("graphql.students.example.com")?.apiId).toBeUndefined();
    expect(fake.domains.get("graphql.other.example.com")?.apiId).toBe("api-9");
  });

  it("leaves a planned domain that serves another API since the plan", async () => {
    // Moved to api-9 after the plan: DisassociateApi names only the domain, and would cut api-9 off.
    const fake = domains({ "graphql.students.example.com": "api-9" });
    appsync.on(DeleteGraphqlApiCommand).resolves({});

    await graphqlApi.delete(testContext(), { ...students, details: { domains: ["graphql.students.example.com"] } });

    expect(appsync).not.toHaveReceivedCommand(DisassociateApiCommand);
    expect(appsync).toHaveReceivedCommandTimes(DeleteGraphqlApiCommand, 1);
    expect(fake.domains.get("graphql.students.example.com")?.apiId).toBe("api-9");
  });

  it("deletes the API at once when the plan recorded no domain", async () => {
    domains({});
    appsync.on(DeleteGraphqlApiCommand).resolves({});

    await graphqlApi.delete(testContext(), { ...students, details: { domains: [] } });

    expect(appsync).not.toHaveReceivedCommand(ListDomainNamesCommand);
    expect(appsync).toHaveReceivedCommandTimes(DeleteGraphqlApiCommand, 1);
  });

  it("reads the domains and tries once more when AWS refuses for a domain the plan did not see", async () => {
    const fake = new FakeAppSync();
    const api = fake.addApi({ name: "student-graphql" });
    fake.addDomain({ name: "graphql.students.example.com", apiId: api.id });
    fake.install(appsync);

    await graphqlApi.delete(testContext(), { id: api.id, name: api.name, details: { domains: [] } });

    expect(appsync.calls().map((c) => (c.args[0] as object).constructor.name)).toEqual([
      "DeleteGraphqlApiCommand",
      "ListDomainNamesCommand",
      "GetApiAssociationCommand",
      "DisassociateApiCommand",
      "DeleteGraphqlApiCommand",
    ]);
    expect(fake.apis.has(api.id)).toBe(false);
  });

  it("leaves a DisassociateApi still in progress to the engine, whatever the domain is named", async () => {
    // The classified failure's message names the call and the domain: "DisassociateApi associated.domain...".
    const name = "associated.domain.example.com";
    domains({ [name]: "api-1" });
    appsync
      .on(DisassociateApiCommand)
      .rejects(new ConcurrentModificationException({ message: "Another modification is in progress", ...meta(409) }));

    await expect(graphqlApi.delete(testContext(), { ...students, details: { domains: [name] } })).rejects.toMatchObject(
      { kind: "dependency-pending" },
    );
    expect(appsync).not.toHaveReceivedCommand(ListDomainNamesCommand);
    expect(appsync).toHaveReceivedCommandTimes(DisassociateApiCommand, 1);
  });

  it("reads fresh only once: a second refusal is left to the engine to retry", async () => {
    domains({});
    appsync
      .on(DeleteGraphqlApiCommand)
      .rejects(new ConcurrentModificationException({ message: "API is associated with a domain", ...meta(409) }));

    await expect(graphqlApi.delete(testContext(), { ...students, details: { domains: [] } })).rejects.toMatchObject({
      kind: "dependency-pending",
    });
    expect(appsync).toHaveReceivedCommandTimes(DeleteGraphqlApiCommand, 2);
    expect(appsync).toHaveReceivedCommandTimes(ListDomainNamesCommand, 1);
  });

  it("disassociates its custom domain, read first when the plan did not record them; a second run reports NotFound", async () => {
    const fake = domains({ "graphql.students.example.com": "api-1", "graphql.other.example.com": "api-9" });
    appsync.on(DeleteGraphqlApiCommand).resolvesOnce({}).rejects(notFound("GraphQL API api-1 not found."));

    await graphqlApi.delete(testContext(), students);
    const order = appsync.calls().map((c) => (c.args[0] as object).constructor.name);
    expect(order.indexOf("DisassociateApiCommand")).toBeLessThan(order.indexOf("DeleteGraphqlApiCommand"));
    expect(appsync).toHaveReceivedCommandExactlyOnceWith(DisassociateApiCommand, {
      domainName: "graphql.students.example.com",
    });
    expect(fake.domains.get("graphql.other.example.com")?.apiId).toBe("api-9");

    await expect(graphqlApi.delete(testContext(), students)).rejects.toMatchObject({ kind: "not-found" });
    expect(appsync).toHaveReceivedCommandTimes(DisassociateApiCommand, 1);
  });

  it("counts a 500 for an API that no longer exists (moto) as NotFound, and keeps other 500s retryable", async () => {
    domains({});
    appsync
      .on(DeleteGraphqlApiCommand)
      .rejects(new InternalFailureException({ message: "An internal AWS AppSync error occurred", ...meta(500) }));
    appsync
      .on(GetGraphqlApiCommand)
      .resolvesOnce({ graphqlApi: { apiId: "api-1" } })
      .rejects(notFound("not found"));
    await expect(graphqlApi.delete(testContext(), students)).rejects.toMatchObject({ kind: "throttled" });
    await expect(graphqlApi.delete(testContext(), students)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("retries later while a disassociation is still in progress", async () => {
    domains({});
    appsync
      .on(DeleteGraphqlApiCommand)
      .rejects(new ConcurrentModificationException({ message: "Another modification is in progress", ...meta(409) }));
    await expect(graphqlApi.delete(testContext(), students)).rejects.toMatchObject({ kind: "dependency-pending" });
  });
});

describe("appsync.graphql-api verify", () => {
  it("is present while GetGraphqlApi answers, gone on NotFound", async () => {
    appsync
      .on(GetGraphqlApiCommand)
      .resolvesOnce({ graphqlApi: { apiId: "api-1" } })
      .rejects(notFound("not found"));
    expect(await graphqlApi.verify(testContext(), students)).toBe("present");
    expect(await graphqlApi.verify(testContext(), students)).toBe("gone");
  });
});
