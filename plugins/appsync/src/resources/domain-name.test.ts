import {
  AppSyncClient,
  ConcurrentModificationException,
  DeleteDomainNameCommand,
  DisassociateApiCommand,
  GetApiAssociationCommand,
  GetDomainNameCommand,
  ListDomainNamesCommand,
  NotFoundException,
} from "@aws-sdk/client-appsync";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { FakeAppSync } from "../testing/fake-appsync.js";
import { domainName } from "./domain-name.js";

const appsync = mockClient(AppSyncClient);
const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const notFound = (message: string) => new NotFoundException({ message, ...meta(404) });
const domain = { id: "graphql.students.example.com", name: "graphql.students.example.com" };

beforeEach(() => {
  appsync.reset();
});

describe("appsync.domain-name", () => {
  it("discovers every page of custom domains with arn and tags", async () => {
    appsync.on(ListDomainNamesCommand).callsFake((input: { nextToken?: string }) =>
      input.nextToken
        ? { domainNameConfigs: [{ domainName: "graphql.other.example.com" }] }
        : {
            domainNameConfigs: [
              {
                domainName: domain.name,
                domainNameArn: "arn:aws:appsync:us-east-1:123456789012:domainnames/x",
                tags: { app: "students" },
              },
            ],
            nextToken: "n2",
          },
    );
    const found = await collect(domainName.discover(testContext(), {}));
    expect(found).toEqual([
      { ...domain, arn: "arn:aws:appsync:us-east-1:123456789012:domainnames/x", tags: { app: "students" } },
      { id: "graphql.other.example.com", name: "graphql.other.example.com", tags: {} },
    ]);
  });

  it("shows the associated API in the plan", async () => {
    appsync.on(GetApiAssociationCommand).resolves({ apiAssociation: { domainName: domain.name, apiId: "api-1" } });
    const described = await domainName.describe!(testContext(), domain);
    expect(described.children).toEqual([{ kind: "API associations (removed first)", count: 1, note: "api-1" }]);
  });

  it("disassociates the API before DeleteDomainName, and a second run reports NotFound", async () => {
    // AWS refuses to delete a domain an API is still associated with: the fake does too.
    const fake = new FakeAppSync();
    fake.addDomain({ name: domain.name, apiId: "api-1" });
    fake.installDomains(appsync);

    await domainName.delete(testContext(), domain);
    expect(appsync.calls().map((c) => (c.args[0] as object).constructor.name)).toEqual([
      "GetApiAssociationCommand",
      "DisassociateApiCommand",
      "DeleteDomainNameCommand",
    ]);
    expect(fake.domains.has(domain.name)).toBe(false);

    await expect(domainName.delete(testContext(), domain)).rejects.toMatchObject({ kind: "not-found" });
    expect(appsync).toHaveReceivedCommandTimes(DisassociateApiCommand, 1);
  });

  it("retries later while the disassociation is still processing", async () => {
    appsync.on(GetApiAssociationCommand).rejects(notFound("No API association"));
    appsync
      .on(DeleteDomainNameCommand)
      .rejects(new ConcurrentModificationException({ message: "Another modification is in progress", ...meta(409) }));
    await expect(domainName.delete(testContext(), domain)).rejects.toMatchObject({ kind: "dependency-pending" });
  });

  it("verifies with GetDomainName", async () => {
    appsync
      .on(GetDomainNameCommand)
      .resolvesOnce({ domainNameConfig: { domainName: domain.name } })
      .rejects(notFound("gone"));
    expect(await domainName.verify(testContext(), domain)).toBe("present");
    expect(await domainName.verify(testContext(), domain)).toBe("gone");
  });
});
