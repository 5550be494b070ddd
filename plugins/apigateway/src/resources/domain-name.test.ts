import {
  APIGatewayClient,
  DeleteDomainNameCommand,
  GetBasePathMappingsCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
  NotFoundException,
  TooManyRequestsException,
} from "@aws-sdk/client-api-gateway";
import {
  ApiGatewayV2Client,
  DeleteDomainNameCommand as DeleteV2DomainNameCommand,
  GetApiMappingsCommand,
  GetDomainNameCommand as GetV2DomainNameCommand,
  GetDomainNamesCommand as GetV2DomainNamesCommand,
  NotFoundException as V2NotFoundException,
} from "@aws-sdk/client-apigatewayv2";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { domainName } from "./domain-name.js";

const v1 = mockClient(APIGatewayClient);
const v2 = mockClient(ApiGatewayV2Client);
const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

const regional = { id: "api.students.example.com", name: "api.students.example.com", details: { api: "v1" } };
const privateDomain = {
  id: "api.students.example.com+abc123",
  name: "api.students.example.com",
  details: { api: "v1", domainNameId: "abc123" },
};
const chatDomain = { id: "chat.students.example.com", name: "chat.students.example.com", details: { api: "v2" } };

beforeEach(() => {
  v1.reset();
  v2.reset();
});

describe("apigateway.domain-name discover", () => {
  it("lists v1 and v2 custom domains over every page, each once, with unique ids", async () => {
    v1.on(GetDomainNamesCommand).callsFake((input: { position?: string }) =>
      input.position === "p2"
        ? { items: [{ domainName: "api.students.example.com", domainNameId: "abc123", domainNameArn: "arn:private" }] }
        : { items: [{ domainName: "api.students.example.com", tags: { app: "students" } }], position: "p2" },
    );
    v2.on(GetV2DomainNamesCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === "n2"
        ? { Items: [{ DomainName: "chat.students.example.com", DomainNameArn: "arn:chat", Tags: { app: "chat" } }] }
        : { Items: [{ DomainName: "api.students.example.com" }], NextToken: "n2" },
    );
    const found = await collect(domainName.discover(testContext(), {}));
    expect(found).toEqual([
      {
        id: "api.students.example.com",
        name: "api.students.example.com",
        arn: "arn:aws:apigateway:us-east-1::/domainnames/api.students.example.com",
        tags: { app: "students" },
        details: { api: "v1" },
      },
      { ...privateDomain, arn: "arn:private", tags: {} },
      { ...chatDomain, arn: "arn:chat", tags: { app: "chat" } },
    ]);
    expect(v1).toHaveReceivedNthCommandWith(GetDomainNamesCommand, 2, { position: "p2" });
    expect(v2).toHaveReceivedNthCommandWith(GetV2DomainNamesCommand, 2, { NextToken: "n2" });
  });

  it("paces DeleteDomainName at 1 call per 30 s per account", () => {
    expect(domainName.rateBudgets).toEqual([
      { key: "apigateway:DeleteDomainName", calls: 1, perMs: 30_000, scope: "account" },
    ]);
  });
});

describe("apigateway.domain-name describe", () => {
  it("shows the base path mappings of a v1 domain, which go with it", async () => {
    v1.on(GetBasePathMappingsCommand, { domainName: regional.name }).resolves({
      items: [
        { basePath: "(none)", restApiId: "a1b2c3", stage: "prod" },
        { basePath: "v2", restApiId: "a1b2c3", stage: "dev" },
      ],
    });
    const described = await domainName.describe!(testContext(), regional);
    expect(described.children).toEqual([
      { kind: "base path mappings", count: 2, note: "(none) -> a1b2c3/prod, v2 -> a1b2c3/dev" },
    ]);
    expect(described.notes).toEqual([expect.stringContaining("ACM certificate")]);
  });

  it("shows the API mappings of a v2 domain over every page", async () => {
    v2.on(GetApiMappingsCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken
        ? { Items: [{ ApiId: "w1", ApiMappingKey: "", Stage: "production" }] }
        : { Items: [{ ApiId: "h1", ApiMappingKey: "rest", Stage: "$default" }], NextToken: "m2" },
    );
    const described = await domainName.describe!(testContext(), chatDomain);
    expect(described.children).toEqual([
      { kind: "API mappings", count: 2, note: "rest -> h1/$default, (none) -> w1/production" },
    ]);
  });
});

describe("apigateway.domain-name delete", () => {
  it("deletes a private v1 domain by name and id; a second run reports NotFound", async () => {
    v1.on(DeleteDomainNameCommand)
      .resolvesOnce({})
      .rejects(new NotFoundException({ message: "Invalid domain name identifier specified", ...meta(404) }));
    await domainName.delete(testContext(), privateDomain);
    expect(v1).toHaveReceivedCommandExactlyOnceWith(DeleteDomainNameCommand, {
      domainName: "api.students.example.com",
      domainNameId: "abc123",
    });
    expect(v2).not.toHaveReceivedCommand(DeleteV2DomainNameCommand);
    await expect(domainName.delete(testContext(), privateDomain)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("deletes a v2-only domain with the v2 API", async () => {
    v2.on(DeleteV2DomainNameCommand).resolves({});
    await domainName.delete(testContext(), chatDomain);
    expect(v2).toHaveReceivedCommandWith(DeleteV2DomainNameCommand, { DomainName: "chat.students.example.com" });
    expect(v1).not.toHaveReceivedCommand(DeleteDomainNameCommand);
  });

  it("classifies the 1-per-30-s quota's 429 as throttled", async () => {
    v1.on(DeleteDomainNameCommand).rejects(
      new TooManyRequestsException({ message: "Too Many Requests", ...meta(429) }),
    );
    await expect(domainName.delete(testContext(), regional)).rejects.toMatchObject({ kind: "throttled" });
  });
});

describe("apigateway.domain-name verify", () => {
  it("reads the domain fresh with the API that manages it", async () => {
    v1.on(GetDomainNameCommand).resolves({ domainName: regional.name });
    v2.on(GetV2DomainNameCommand).rejects(new V2NotFoundException({ message: "not found", ...meta(404) }));
    expect(await domainName.verify(testContext(), regional)).toBe("present");
    expect(await domainName.verify(testContext(), chatDomain)).toBe("gone");
  });
});
