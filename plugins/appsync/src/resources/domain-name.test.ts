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

/** Custom domains and which API each is associated with, on the in-memory AppSync. */
const domains = (associations: Record<string, string | undefined>) => FakeAppSync.withDomains(appsync, associations);

/** The commands sent, in order. */
const sent = () => appsync.calls().map((c) => (c.args[0] as object).constructor.name);

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

  it("shows the associated API in the plan and records it, reading the region's associations once", async () => {
    domains({ [domain.name]: "api-1", "spare.example.com": undefined });
    const run = testContext();

    const [described, spare] = await Promise.all([
      domainName.describe!(run, domain),
      domainName.describe!(run, { id: "spare.example.com", name: "spare.example.com" }),
    ]);

    expect(described.children).toEqual([{ kind: "API associations (removed first)", count: 1, note: "api-1" }]);
    expect(described.details).toEqual({ associatedApi: "api-1" });
    expect(spare.children).toEqual([{ kind: "API associations (removed first)", count: 0 }]);
    expect(spare.details).toEqual({ associatedApi: null });
    expect(appsync).toHaveReceivedCommandTimes(ListDomainNamesCommand, 1);
    expect(appsync).toHaveReceivedCommandTimes(GetApiAssociationCommand, 2);
  });

  it("asks a domain made after the region's read on its own", async () => {
    const fake = domains({});
    const run = testContext();
    await domainName.describe!(run, domain);
    appsync.resetHistory();
    fake.addDomain({ name: "new.example.com", apiId: "api-2" });

    const described = await domainName.describe!(run, { id: "new.example.com", name: "new.example.com" });

    expect(described.details).toEqual({ associatedApi: "api-2" });
    expect(appsync).not.toHaveReceivedCommand(ListDomainNamesCommand);
    expect(appsync).toHaveReceivedCommandExactlyOnceWith(GetApiAssociationCommand, { domainName: "new.example.com" });
  });

  it("disassociates the API the plan recorded, then DeleteDomainName, without reading the association", async () => {
    const fake = domains({ [domain.name]: "api-1" });

    await domainName.delete(testContext(), { ...domain, details: { associatedApi: "api-1" } });

    expect(sent()).toEqual(["DisassociateApiCommand", "DeleteDomainNameCommand"]);
    expect(fake.domains.has(domain.name)).toBe(false);
  });

  it("reads the association and tries once more when AWS refuses for one the plan did not see", async () => {
    const fake = domains({ [domain.name]: "api-7" });

    await domainName.delete(testContext(), { ...domain, details: { associatedApi: null } });

    expect(sent()).toEqual([
      "DeleteDomainNameCommand",
      "GetApiAssociationCommand",
      "DisassociateApiCommand",
      "DeleteDomainNameCommand",
    ]);
    expect(fake.domains.has(domain.name)).toBe(false);
  });

  it("leaves a DisassociateApi still in progress to the engine, without reading the association again", async () => {
    domains({ [domain.name]: "api-1" });
    appsync
      .on(DisassociateApiCommand)
      .rejects(new ConcurrentModificationException({ message: "Another modification is in progress", ...meta(409) }));

    await expect(
      domainName.delete(testContext(), { ...domain, details: { associatedApi: "api-1" } }),
    ).rejects.toMatchObject({ kind: "dependency-pending" });
    expect(sent()).toEqual(["DisassociateApiCommand"]);
  });

  it("reads the association first when the plan did not record it (an older plan file); a second run reports NotFound", async () => {
    // AWS refuses to delete a domain an API is still associated with: the fake does too.
    const fake = domains({ [domain.name]: "api-1" });

    await domainName.delete(testContext(), domain);
    expect(sent()).toEqual(["GetApiAssociationCommand", "DisassociateApiCommand", "DeleteDomainNameCommand"]);
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
