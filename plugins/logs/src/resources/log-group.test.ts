import {
  CloudWatchLogsClient,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  OperationAbortedException,
  PutLogGroupDeletionProtectionCommand,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
  type LogGroup,
} from "@aws-sdk/client-cloudwatch-logs";
import type { Found, Static } from "@cleanup-runner/plugin-kit";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { logGroup } from "./log-group.js";

const logs = mockClient(CloudWatchLogsClient);
type Options = Static<NonNullable<typeof logGroup.options>>;
const ctx = (options: Partial<Options> = {}) => testContext<Options>({ resource: logGroup, options });
const groupArn = (name: string) => `arn:aws:logs:us-east-1:123456789012:log-group:${name}`;
const group = (name: string, extra: Partial<LogGroup> = {}): LogGroup => ({
  logGroupName: name,
  arn: `${groupArn(name)}:*`,
  logGroupArn: groupArn(name),
  creationTime: Date.UTC(2024, 4, 1),
  storedBytes: 0,
  metricFilterCount: 0,
  ...extra,
});
const found = (name: string, details: Record<string, unknown> = {}): Found => ({
  id: name,
  name,
  arn: groupArn(name),
  details: { storedBytes: 0, ...details },
});

/** DescribeLogGroups as AWS answers it: ASCII-sorted, filtered by prefix, at most `limit` (50) a page. */
function describeLogGroups(groups: LogGroup[]): void {
  logs
    .on(DescribeLogGroupsCommand)
    .callsFake((input: { logGroupNamePrefix?: string; nextToken?: string; limit?: number }) => {
      const matching = groups
        .filter((g) => g.logGroupName!.startsWith(input.logGroupNamePrefix ?? ""))
        .sort((a, b) => (a.logGroupName! < b.logGroupName! ? -1 : 1));
      const start = Number(input.nextToken ?? 0);
      const end = start + (input.limit ?? 50);
      return { logGroups: matching.slice(start, end), ...(end < matching.length ? { nextToken: String(end) } : {}) };
    });
}

const protectedError = () =>
  new ValidationException({
    message: "Cannot delete log group with deletion protection enabled. Disable deletion protection first.",
    $metadata: { httpStatusCode: 400 },
  });

beforeEach(() => {
  logs.reset();
});

describe("logs.log-group discover", () => {
  const groups = [
    ...Array.from({ length: 120 }, (_, i) => group(`/aws/lambda/student-fn-${String(i).padStart(3, "0")}`)),
    group("/aws/lambda/other-project-fn"),
    group("API-Gateway-Execution-Logs_abc123/prod"),
  ];

  it("pages through every group and yields what the engine needs", async () => {
    describeLogGroups(groups);
    const all = await collect(logGroup.discover(ctx(), {}));
    expect(all).toHaveLength(122);
    expect(logs).toHaveReceivedCommandTimes(DescribeLogGroupsCommand, 3);
    expect(logs).toHaveReceivedNthCommandWith(DescribeLogGroupsCommand, 3, { limit: 50, nextToken: "100" });
    expect(all.find((f) => f.name === "API-Gateway-Execution-Logs_abc123/prod")).toEqual({
      id: "API-Gateway-Execution-Logs_abc123/prod",
      name: "API-Gateway-Execution-Logs_abc123/prod",
      arn: groupArn("API-Gateway-Execution-Logs_abc123/prod"),
      createdAt: "2024-05-01T00:00:00.000Z",
      details: { storedBytes: 0, metricFilterCount: 0 },
    });
  });

  it("pushes the selector's prefix down to DescribeLogGroups", async () => {
    describeLogGroups(groups);
    const all = await collect(logGroup.discover(ctx(), { prefix: "/aws/lambda/student-" }));
    expect(all).toHaveLength(120);
    expect(logs).toHaveReceivedCommandWith(DescribeLogGroupsCommand, { logGroupNamePrefix: "/aws/lambda/student-" });
  });

  it("pushes the engine's prefix hint down, and lists everything without one", async () => {
    describeLogGroups(groups);
    await collect(
      logGroup.discover(ctx(), { names: ["/aws/lambda/other-project-fn"], prefix: "/aws/lambda/other-project-fn" }),
    );
    expect(logs).toHaveReceivedLastCommandWith(DescribeLogGroupsCommand, {
      logGroupNamePrefix: "/aws/lambda/other-project-fn",
    });
    logs.resetHistory();
    await collect(logGroup.discover(ctx(), { names: ["/a", "b"] }));
    expect(logs.commandCalls(DescribeLogGroupsCommand)[0]?.args[0].input).not.toHaveProperty("logGroupNamePrefix");
  });

  it("keeps the fields the plan and delete need", async () => {
    describeLogGroups([
      group("/aws/appsync/apis/xyz", {
        storedBytes: 5 * 1024 * 1024,
        retentionInDays: 14,
        metricFilterCount: 2,
        logGroupClass: "STANDARD",
        dataProtectionStatus: "ACTIVATED",
        deletionProtectionEnabled: true,
      }),
    ]);
    const [only] = await collect(logGroup.discover(ctx(), {}));
    expect(only?.details).toEqual({
      storedBytes: 5 * 1024 * 1024,
      retentionInDays: 14,
      metricFilterCount: 2,
      logGroupClass: "STANDARD",
      dataProtectionStatus: "ACTIVATED",
      deletionProtectionEnabled: true,
    });
  });

  it("reads tags with the ARN that has no trailing :*", async () => {
    logs
      .on(ListTagsForResourceCommand, { resourceArn: groupArn("/aws/lambda/x") })
      .resolves({ tags: { workshop: "student" } });
    await expect(logGroup.readTags!(ctx(), found("/aws/lambda/x"))).resolves.toEqual({ workshop: "student" });
  });
});

describe("logs.log-group describe", () => {
  it("shows the stored bytes and metric filters without another call", async () => {
    const planned = await logGroup.describe!(
      ctx(),
      found("/aws/lambda/student-students-api", { storedBytes: 1536, metricFilterCount: 2 }),
    );
    expect(planned.children).toEqual([
      { kind: "stored log data", bytes: 1536 },
      { kind: "metric filters", count: 2 },
    ]);
    expect(planned.details?.storedBytes).toBe(1536);
    expect(planned.protectedReason).toBeUndefined();
    expect(logs.calls()).toHaveLength(0);
  });

  it("protects a group with deletion protection unless the entry opts in", async () => {
    const protectedGroup = found("/aws/lambda/keep", { deletionProtectionEnabled: true });
    const planned = await logGroup.describe!(ctx(), protectedGroup);
    expect(planned.protectedReason).toMatch(/deletion protection is enabled/);

    const optedIn = await logGroup.describe!(ctx({ disableDeletionProtection: true }), protectedGroup);
    expect(optedIn.protectedReason).toBeUndefined();
  });

  it("does not protect a group for its data protection policy, but says it has one", async () => {
    const planned = await logGroup.describe!(ctx(), found("/aws/lambda/pii", { dataProtectionStatus: "ACTIVATED" }));
    expect(planned.protectedReason).toBeUndefined();
    expect(planned.notes).toEqual([
      "it has a data protection (masking) policy, which does not block deletion and goes with it",
    ]);
  });
});

describe("logs.log-group delete", () => {
  it("deletes the group with one DeleteLogGroup", async () => {
    logs.on(DeleteLogGroupCommand).resolves({});
    await logGroup.delete(ctx(), found("/aws/lambda/student-admin-api"));
    expect(logs).toHaveReceivedCommandExactlyOnceWith(DeleteLogGroupCommand, {
      logGroupName: "/aws/lambda/student-admin-api",
    });
    expect(logs.calls()).toHaveLength(1);
  });

  it("says NotFound when the group is already gone", async () => {
    logs.on(DeleteLogGroupCommand).rejects(
      new ResourceNotFoundException({
        message: "The specified log group does not exist.",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(logGroup.delete(ctx(), found("/aws/lambda/gone"))).rejects.toMatchObject({ kind: "not-found" });
  });

  it("classifies throttling and concurrent changes as retryable", async () => {
    logs
      .on(DeleteLogGroupCommand)
      .rejectsOnce(new ThrottlingException({ message: "Rate exceeded", $metadata: { httpStatusCode: 400 } }))
      .rejectsOnce(
        new OperationAbortedException({
          message: "Multiple concurrent requests to update the same resource were in conflict.",
          $metadata: { httpStatusCode: 400 },
        }),
      );
    await expect(logGroup.delete(ctx(), found("/aws/lambda/a"))).rejects.toMatchObject({
      kind: "throttled",
      retryable: true,
    });
    await expect(logGroup.delete(ctx(), found("/aws/lambda/a"))).rejects.toMatchObject({
      kind: "dependency-pending",
      retryable: true,
    });
  });

  it("turns deletion protection off first when the entry opts in", async () => {
    logs.on(PutLogGroupDeletionProtectionCommand).resolves({});
    logs.on(DeleteLogGroupCommand).resolves({});
    await logGroup.delete(
      ctx({ disableDeletionProtection: true }),
      found("/aws/lambda/keep", { deletionProtectionEnabled: true }),
    );
    expect(logs.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "PutLogGroupDeletionProtectionCommand",
      "DeleteLogGroupCommand",
    ]);
    expect(logs).toHaveReceivedCommandWith(PutLogGroupDeletionProtectionCommand, {
      logGroupIdentifier: "/aws/lambda/keep",
      deletionProtectionEnabled: false,
    });
  });

  it("never lifts protection turned on after the plan without the option", async () => {
    logs.on(DeleteLogGroupCommand).rejects(protectedError());
    await expect(logGroup.delete(ctx(), found("/aws/lambda/late"))).rejects.toMatchObject({ kind: "protected" });
    expect(logs).not.toHaveReceivedCommand(PutLogGroupDeletionProtectionCommand);
  });

  it("with the option, lifts protection turned on after the plan and asks for another attempt", async () => {
    logs.on(DeleteLogGroupCommand).rejectsOnce(protectedError()).resolves({});
    logs.on(PutLogGroupDeletionProtectionCommand).resolves({});
    const context = ctx({ disableDeletionProtection: true });

    await expect(logGroup.delete(context, found("/aws/lambda/late"))).rejects.toMatchObject({
      kind: "dependency-pending",
    });
    expect(logs).toHaveReceivedCommandTimes(PutLogGroupDeletionProtectionCommand, 1);
    await logGroup.delete(context, found("/aws/lambda/late"));
    expect(logs).toHaveReceivedCommandTimes(DeleteLogGroupCommand, 2);
  });
});

describe("logs.log-group verify", () => {
  it("is gone when only longer names share the prefix", async () => {
    describeLogGroups([group("/aws/lambda/fn-v2"), group("/aws/lambda/fn")]);
    await expect(logGroup.verify(ctx(), found("/aws/lambda/fn"))).resolves.toBe("present");
    expect(logs).toHaveReceivedCommandWith(DescribeLogGroupsCommand, { logGroupNamePrefix: "/aws/lambda/fn" });

    logs.reset();
    describeLogGroups([group("/aws/lambda/fn-v2")]);
    await expect(logGroup.verify(ctx(), found("/aws/lambda/fn"))).resolves.toBe("gone");
  });

  it("throws a classified error when it cannot tell", async () => {
    logs
      .on(DescribeLogGroupsCommand)
      .rejects(new ThrottlingException({ message: "Rate exceeded", $metadata: { httpStatusCode: 400 } }));
    await expect(logGroup.verify(ctx(), found("/aws/lambda/fn"))).rejects.toMatchObject({ kind: "throttled" });
  });
});
