import {
  AmplifyClient,
  DeleteAppCommand,
  GetAppCommand,
  LimitExceededException,
  ListAppsCommand,
  ListBackendEnvironmentsCommand,
  ListBranchesCommand,
  ListDomainAssociationsCommand,
  ListWebhooksCommand,
  NotFoundException,
} from "@aws-sdk/client-amplify";
import {
  CloudFormationClient,
  CloudFormationServiceException,
  DeleteStackCommand,
  DescribeStacksCommand,
} from "@aws-sdk/client-cloudformation";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { FakeAmplify } from "../testing/fake-amplify.js";
import { app } from "./app.js";

// moto has no Amplify: every path is covered here with mocks.
const amplify = mockClient(AmplifyClient);
const cloudformation = mockClient(CloudFormationClient);
const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const frontend = { id: "d1abc2def3", name: "student-frontend" };
const cfnError = (name: string, message: string, status: number) =>
  new CloudFormationServiceException({ name, $fault: "client", message, ...meta(status) });

/** CloudFormation stacks by name with their StackStatus, on the in-memory account (DescribeStacks by name). */
function stacks(statuses: Record<string, string>) {
  const fake = new FakeAmplify();
  for (const [name, status] of Object.entries(statuses)) fake.stacks.set(name, status);
  fake.installStacks(cloudformation);
}

/** An app with two Gen 1 backend environments (one whose stack is gone) and a Gen 2 branch. */
function appWithBackends() {
  amplify.on(ListBranchesCommand).callsFake((input: { nextToken?: string }) =>
    input.nextToken
      ? {
          branches: [
            {
              branchName: "gen2",
              backend: {
                stackArn:
                  "arn:aws:cloudformation:us-east-1:123456789012:stack/amplify-d1abc2def3-gen2-branch-7f1e2d3c4b/0a1b",
              },
            },
          ],
        }
      : { branches: [{ branchName: "main" }, { branchName: "dev" }], nextToken: "b2" },
  );
  amplify
    .on(ListDomainAssociationsCommand)
    .resolves({ domainAssociations: [{ domainName: "students.example.com" }] as never });
  amplify
    .on(ListWebhooksCommand)
    .callsFake((input: { nextToken?: string }) =>
      input.nextToken ? { webhooks: [{ webhookId: "w2" }] } : { webhooks: [{ webhookId: "w1" }], nextToken: "h2" },
    );
  amplify.on(ListBackendEnvironmentsCommand).callsFake((input: { nextToken?: string }) =>
    input.nextToken
      ? { backendEnvironments: [{ environmentName: "old", stackName: "amplify-studentfrontend-old-99999" }] }
      : {
          backendEnvironments: [
            {
              environmentName: "dev",
              stackName: "amplify-studentfrontend-dev-12345",
              deploymentArtifacts: "amplify-studentfrontend-dev-12345-deployment",
            },
          ],
          nextToken: "e2",
        },
  );
}

beforeEach(() => {
  amplify.reset();
  cloudformation.reset();
});

describe("amplify.app discover", () => {
  it("lists every page of apps with arn, tags and creation time", async () => {
    amplify.on(ListAppsCommand).callsFake((input: { nextToken?: string }) =>
      input.nextToken === "a2"
        ? {
            apps: [
              { appId: "d9zz", name: "other-project-web", appArn: "arn:aws:amplify:us-east-1:123456789012:apps/d9zz" },
            ],
          }
        : {
            apps: [
              {
                appId: "d1abc2def3",
                name: "student-frontend",
                appArn: "arn:aws:amplify:us-east-1:123456789012:apps/d1abc2def3",
                tags: { workshop: "student-system" },
                createTime: new Date("2024-02-10T09:30:00Z"),
                defaultDomain: "d1abc2def3.amplifyapp.com",
                repository: "https://github.com/example/students",
              },
            ],
            nextToken: "a2",
          },
    );
    const found = await collect(app.discover(testContext(), {}));
    expect(found).toEqual([
      {
        id: "d1abc2def3",
        name: "student-frontend",
        arn: "arn:aws:amplify:us-east-1:123456789012:apps/d1abc2def3",
        tags: { workshop: "student-system" },
        createdAt: "2024-02-10T09:30:00.000Z",
        details: { defaultDomain: "d1abc2def3.amplifyapp.com", repository: "https://github.com/example/students" },
      },
      {
        id: "d9zz",
        name: "other-project-web",
        arn: "arn:aws:amplify:us-east-1:123456789012:apps/d9zz",
        tags: {},
        details: {},
      },
    ]);
    expect(amplify).toHaveReceivedNthCommandWith(ListAppsCommand, 2, { nextToken: "a2" });
  });
});

describe("amplify.app describe", () => {
  it("shows branches, domain associations, webhooks and backend environments over every page", async () => {
    appWithBackends();
    stacks({});
    const described = await app.describe!(testContext(), frontend);
    expect(described.children).toEqual([
      { kind: "branches", count: 3, note: "main, dev, gen2" },
      { kind: "domain associations", count: 1, note: "students.example.com" },
      { kind: "webhooks", count: 2 },
      { kind: "backend environments", count: 2, note: "dev, old" },
    ]);
    expect(amplify).toHaveReceivedCommandWith(ListWebhooksCommand, { appId: frontend.id, nextToken: "h2" });
    expect(amplify).toHaveReceivedCommandWith(ListBackendEnvironmentsCommand, { appId: frontend.id, nextToken: "e2" });
  });

  it("names the backend stacks that remain, read-only, and never touches a stack", async () => {
    appWithBackends();
    stacks({
      "amplify-studentfrontend-dev-12345": "UPDATE_COMPLETE",
      "amplify-d1abc2def3-gen2-branch-7f1e2d3c4b": "CREATE_COMPLETE",
    });
    const described = await app.describe!(testContext({ region: "ap-southeast-1" }), frontend);

    expect(described.details?.backendStacks).toEqual([
      {
        generation: 1,
        environment: "dev",
        stackName: "amplify-studentfrontend-dev-12345",
        deploymentBucket: "amplify-studentfrontend-dev-12345-deployment",
        status: "UPDATE_COMPLETE",
      },
      {
        generation: 2,
        branch: "gen2",
        stackName: "amplify-d1abc2def3-gen2-branch-7f1e2d3c4b",
        status: "CREATE_COMPLETE",
      },
    ]);
    expect(described.notes).toHaveLength(2);
    expect(described.notes?.[0]).toMatch(
      /^CloudFormation stack amplify-studentfrontend-dev-12345 \(UPDATE_COMPLETE\).*NOT deleted by DeleteApp/,
    );
    expect(described.notes?.[0]).toContain(
      "aws cloudformation delete-stack --stack-name amplify-studentfrontend-dev-12345 --region ap-southeast-1",
    );
    expect(described.notes?.[0]).toContain(
      "empty its deployment bucket amplify-studentfrontend-dev-12345-deployment first",
    );
    expect(described.notes?.[1]).toMatch(/amplify-d1abc2def3-gen2-branch-7f1e2d3c4b .*Gen 2 backend of branch gen2/);
    // The stack of environment "old" is already gone: not named.
    expect(described.notes?.join(" ")).not.toContain("amplify-studentfrontend-old-99999");
    expect(cloudformation).toHaveReceivedCommandTimes(DescribeStacksCommand, 3);
    expect(cloudformation).not.toHaveReceivedCommand(DeleteStackCommand);
  });

  it("still names a stack it may not read", async () => {
    appWithBackends();
    cloudformation
      .on(DescribeStacksCommand)
      .rejects(cfnError("AccessDenied", "not authorized to perform: cloudformation:DescribeStacks", 403));
    const described = await app.describe!(testContext(), frontend);
    expect(described.notes).toHaveLength(3);
    expect(described.notes?.[0]).toContain(
      "amplify-studentfrontend-dev-12345 (unknown (DescribeStacks: AccessDenied))",
    );
  });
});

describe("amplify.app delete", () => {
  it("deletes the app with DeleteApp; a second run reports NotFound", async () => {
    amplify
      .on(DeleteAppCommand)
      .resolvesOnce({ app: undefined })
      .rejects(new NotFoundException({ message: "App d1abc2def3 not found.", ...meta(404) }));
    await app.delete(testContext(), frontend);
    expect(amplify).toHaveReceivedCommandExactlyOnceWith(DeleteAppCommand, { appId: frontend.id });
    await expect(app.delete(testContext(), frontend)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("classifies a 429 LimitExceededException as throttled", async () => {
    amplify.on(DeleteAppCommand).rejects(new LimitExceededException({ message: "Rate exceeded", ...meta(429) }));
    await expect(app.delete(testContext(), frontend)).rejects.toMatchObject({ kind: "throttled" });
  });
});

describe("amplify.app verify", () => {
  it("is present while GetApp answers, gone on NotFound", async () => {
    amplify
      .on(GetAppCommand)
      .resolvesOnce({ app: { appId: frontend.id } as never })
      .rejects(new NotFoundException({ message: "not found", ...meta(404) }));
    expect(await app.verify(testContext(), frontend)).toBe("present");
    expect(await app.verify(testContext(), frontend)).toBe("gone");
  });
});
