import {
  DeleteBackupCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  ListBackupsCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { table, type TableOptions } from "./table.js";

const ddb = mockClient(DynamoDBClient);
const created = new Date("2024-05-02T08:30:00.000Z");
const found = {
  id: "Student-Management-Database",
  name: "Student-Management-Database",
  arn: "arn:aws:dynamodb:ap-southeast-1:123456789012:table/Student-Management-Database",
};

function context(options: Partial<TableOptions> = {}) {
  return testContext<TableOptions>({ resource: table, options, region: "ap-southeast-1" });
}

/** A DynamoDB error as the SDK throws it. */
function ddbError(name: string, message = name, httpStatusCode = 400): DynamoDBServiceException {
  return new DynamoDBServiceException({ name, message, $fault: "client", $metadata: { httpStatusCode } });
}

const protectedRefusal = ddbError(
  "ValidationException",
  "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
);
const notFound = ddbError("ResourceNotFoundException", "Requested resource not found");
/** An on-demand backup of the table, as DynamoDB names it. */
const backupArn = (id: string) => `${found.arn}/backup/${id}`;

beforeEach(() => {
  ddb.reset();
});

describe("dynamodb.table discover", () => {
  it("follows every ListTables page and yields names with ARNs", async () => {
    ddb
      .on(ListTablesCommand)
      .resolvesOnce({
        TableNames: ["Student-Management-Database", "student-Lecturers"],
        LastEvaluatedTableName: "student-Lecturers",
      })
      .resolvesOnce({ TableNames: ["other-project-table"] });

    const tables = await collect(table.discover(context(), {}));

    expect(tables).toEqual([
      found,
      {
        id: "student-Lecturers",
        name: "student-Lecturers",
        arn: "arn:aws:dynamodb:ap-southeast-1:123456789012:table/student-Lecturers",
      },
      {
        id: "other-project-table",
        name: "other-project-table",
        arn: "arn:aws:dynamodb:ap-southeast-1:123456789012:table/other-project-table",
      },
    ]);
    expect(ddb).toHaveReceivedCommandTimes(ListTablesCommand, 2);
    expect(ddb).toHaveReceivedNthCommandWith(ListTablesCommand, 2, { ExclusiveStartTableName: "student-Lecturers" });
    expect(ddb).not.toHaveReceivedCommand(DescribeTableCommand);
  });

  it("classifies throttling", async () => {
    ddb.on(ListTablesCommand).rejects(ddbError("ThrottlingException", "Rate exceeded"));

    await expect(collect(table.discover(context(), {}))).rejects.toMatchObject({ kind: "throttled" });
  });
});

describe("dynamodb.table readTags", () => {
  it("reads every page of tags", async () => {
    ddb
      .on(ListTagsOfResourceCommand)
      .resolvesOnce({ Tags: [{ Key: "workshop", Value: "student-system" }], NextToken: "t2" })
      .resolvesOnce({ Tags: [{ Key: "owner", Value: "k18" }] });

    const tags = await table.readTags!(context(), found);

    expect(tags).toEqual({ workshop: "student-system", owner: "k18" });
    expect(ddb).toHaveReceivedNthCommandWith(ListTagsOfResourceCommand, 1, { ResourceArn: found.arn });
    expect(ddb).toHaveReceivedNthCommandWith(ListTagsOfResourceCommand, 2, { ResourceArn: found.arn, NextToken: "t2" });
  });
});

describe("dynamodb.table describe", () => {
  function describes(table: Record<string, unknown>, backups: Record<string, unknown>[] = []): void {
    ddb.on(DescribeTableCommand).resolves({
      Table: {
        TableName: found.name,
        TableArn: found.arn,
        TableStatus: "ACTIVE",
        CreationDateTime: created,
        ItemCount: 42,
        DeletionProtectionEnabled: false,
        ...table,
      },
    });
    // The region's backups: this table's, and another table's that must not count.
    ddb.on(ListBackupsCommand).resolves({
      BackupSummaries: [
        ...backups.map((backup) => ({ TableName: found.name, ...backup })),
        { TableName: "other-project-table", BackupArn: "arn:theirs", BackupType: "USER", BackupStatus: "AVAILABLE" },
      ],
    });
  }

  it("gives the creation date, items and indexes, and reads every backup type once", async () => {
    describes({
      GlobalSecondaryIndexes: [{ IndexName: "byCourse" }],
      LocalSecondaryIndexes: [{ IndexName: "byDate" }],
    });

    const described = await table.describe!(context(), found);

    expect(described).toMatchObject({ createdAt: "2024-05-02T08:30:00.000Z", arn: found.arn });
    expect(described.children).toEqual([
      { kind: "items", count: 42, note: "approximate" },
      { kind: "secondary indexes", count: 2 },
    ]);
    expect(described.protectedReason).toBeUndefined();
    expect(described.details).toEqual({ userBackups: [] });
    expect(described.notes).toBeUndefined();
    // The region's backups, every type, in one listing (no TableName).
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(ListBackupsCommand, { BackupType: "ALL" });
  });

  it("marks a table with deletion protection protected, naming the option that lifts it", async () => {
    describes({ DeletionProtectionEnabled: true });

    const described = await table.describe!(context(), found);

    expect(described.protectedReason).toMatch(
      /deletion protection is on: set options\.disableDeletionProtection: true/,
    );
    expect(described.details).toEqual({ userBackups: [] });
  });

  it("plans a protected table for deletion when the entry opts in, and says so", async () => {
    describes({ DeletionProtectionEnabled: true });

    const described = await table.describe!(context({ disableDeletionProtection: true }), found);

    expect(described.protectedReason).toBeUndefined();
    expect(described.notes).toContain(
      "deletion protection is on: it is turned off (UpdateTable) right before DeleteTable",
    );
  });

  it("counts on-demand backups and says they survive the table unless deleteBackups is on", async () => {
    const backups = [
      { BackupArn: "arn:b1", BackupType: "USER", BackupStatus: "AVAILABLE" },
      { BackupArn: "arn:b2", BackupType: "USER", BackupStatus: "AVAILABLE" },
      { BackupArn: "arn:b3", BackupType: "USER", BackupStatus: "DELETED" },
      { BackupArn: "arn:sys", BackupType: "SYSTEM", BackupStatus: "AVAILABLE" },
      { BackupArn: "arn:vault", BackupType: "AWS_BACKUP", BackupStatus: "AVAILABLE" },
    ];
    describes({}, backups);

    const kept = await table.describe!(context(), found);
    const deleted = await table.describe!(context({ deleteBackups: true }), found);

    expect(kept.children).toContainEqual({ kind: "on-demand backups", count: 2, note: "kept" });
    expect(kept.notes).toContain(
      "2 on-demand backup(s) survive the table and keep costing: set options.deleteBackups: true to delete them",
    );
    expect(kept.notes).toContain(
      "1 backup(s) made by AWS Backup survive the table: delete them in their AWS Backup vault",
    );
    expect(deleted.children).toContainEqual({ kind: "on-demand backups", count: 2 });
    expect(deleted.notes).toEqual([
      "1 backup(s) made by AWS Backup survive the table: delete them in their AWS Backup vault",
    ]);
    // What delete removes: the table's own on-demand backups that are not deleted already.
    expect(deleted.details).toEqual({ userBackups: ["arn:b1", "arn:b2"] });
  });

  it("lists the region's backups once per run for every table it describes", async () => {
    describes({}, [{ BackupArn: "arn:b1", BackupType: "USER", BackupStatus: "AVAILABLE" }]);
    const run = context({ deleteBackups: true });

    const [ours, theirs] = await Promise.all([
      table.describe!(run, found),
      table.describe!(run, { id: "other-project-table", name: "other-project-table" }),
    ]);

    expect(ours.details).toEqual({ userBackups: ["arn:b1"] });
    expect(theirs.details).toEqual({ userBackups: ["arn:theirs"] });
    // One listing of the region: no TableName, which would list one table's backups only.
    expect(ddb.commandCalls(ListBackupsCommand).map((c) => c.args[0].input)).toEqual([{ BackupType: "ALL" }]);
    expect(ddb).toHaveReceivedCommandTimes(DescribeTableCommand, 2);
    // Another run (a new client) lists again.
    await table.describe!(context(), found);
    expect(ddb).toHaveReceivedCommandTimes(ListBackupsCommand, 2);
  });

  it("lists the backups again after a failed listing instead of keeping the failure", async () => {
    describes({});
    ddb
      .on(ListBackupsCommand)
      .rejectsOnce(ddbError("ThrottlingException", "Rate exceeded"))
      .resolves({ BackupSummaries: [] });
    const run = context();

    await expect(table.describe!(run, found)).rejects.toMatchObject({ kind: "throttled" });
    await expect(table.describe!(run, found)).resolves.toMatchObject({ details: { userBackups: [] } });
    expect(ddb).toHaveReceivedCommandTimes(ListBackupsCommand, 2);
  });

  it("follows every ListBackups page", async () => {
    describes({});
    ddb
      .on(ListBackupsCommand)
      .resolvesOnce({
        BackupSummaries: [{ TableName: found.name, BackupArn: "arn:b1", BackupType: "USER" }],
        LastEvaluatedBackupArn: "arn:b1",
      })
      .resolvesOnce({ BackupSummaries: [{ TableName: found.name, BackupArn: "arn:b2", BackupType: "USER" }] });

    const described = await table.describe!(context({ deleteBackups: true }), found);

    expect(described.children).toContainEqual({ kind: "on-demand backups", count: 2 });
    expect(ddb).toHaveReceivedNthCommandWith(ListBackupsCommand, 2, {
      BackupType: "ALL",
      ExclusiveStartBackupArn: "arn:b1",
    });
  });

  it("tells about global table replicas and streams", async () => {
    describes({
      Replicas: [{ RegionName: "ap-southeast-1" }, { RegionName: "eu-west-1" }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
    });

    const described = await table.describe!(context(), found);

    expect(described.notes).toEqual([
      "a global table: DeleteTable removes only the replica in ap-southeast-1; the replicas in eu-west-1 stay unless their regions are targeted too",
      "its DynamoDB stream is disabled with the table and deleted by AWS 24 hours later",
    ]);
  });

  it("warns that a strongly consistent global table cannot lose one replica alone", async () => {
    describes({
      Replicas: [{ RegionName: "us-east-1" }, { RegionName: "us-east-2" }],
      MultiRegionConsistency: "STRONG",
    });

    const described = await table.describe!(context(), found);

    expect(described.notes?.[0]).toMatch(/DeleteTable fails until the other replicas are removed/);
  });
});

describe("dynamodb.table delete", () => {
  it("deletes an unprotected table with one call", async () => {
    ddb.on(DeleteTableCommand).resolves({});

    await table.delete(context(), found);

    expect(ddb.calls()).toHaveLength(1);
    expect(ddb).toHaveReceivedCommandWith(DeleteTableCommand, { TableName: found.name });
  });

  it("never lifts deletion protection without the option", async () => {
    ddb.on(DeleteTableCommand).rejects(protectedRefusal);

    await expect(table.delete(context(), found)).rejects.toMatchObject({ kind: "protected" });
    expect(ddb).not.toHaveReceivedCommand(UpdateTableCommand);
  });

  it("with disableDeletionProtection, turns protection off with UpdateTable, then deletes", async () => {
    ddb.on(DeleteTableCommand).rejectsOnce(protectedRefusal).resolves({});
    ddb.on(UpdateTableCommand).resolves({});

    await table.delete(context({ disableDeletionProtection: true }), found);

    expect(ddb.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "DeleteTableCommand",
      "UpdateTableCommand",
      "DeleteTableCommand",
    ]);
    expect(ddb).toHaveReceivedCommandWith(UpdateTableCommand, {
      TableName: found.name,
      DeletionProtectionEnabled: false,
    });
  });

  it("recognises the refusal however it is worded (ResourceInUseException, moto's ValidationException)", async () => {
    ddb
      .on(DeleteTableCommand)
      .rejectsOnce(
        ddbError("ResourceInUseException", "Resource cannot be deleted as it is currently protected against deletion."),
      )
      .rejectsOnce(
        ddbError(
          "ValidationException",
          "1 validation error detected: Table 'x' can't be deleted while DeletionProtectionEnabled is set to True",
        ),
      );

    await expect(table.delete(context(), found)).rejects.toMatchObject({ kind: "protected" });
    await expect(table.delete(context(), found)).rejects.toMatchObject({ kind: "protected" });
  });

  it("reports DependencyPending while the table is UPDATING after protection was lifted", async () => {
    ddb
      .on(DeleteTableCommand)
      .rejectsOnce(protectedRefusal)
      .rejects(
        ddbError(
          "ResourceInUseException",
          "Attempt to change a resource which is still in use: Table is being updated",
        ),
      );
    ddb.on(UpdateTableCommand).resolves({});

    await expect(table.delete(context({ disableDeletionProtection: true }), found)).rejects.toMatchObject({
      kind: "dependency-pending",
    });
    // The engine's next attempt: still UPDATING, still pending; protection is not touched again.
    await expect(table.delete(context({ disableDeletionProtection: true }), found)).rejects.toMatchObject({
      kind: "dependency-pending",
    });
    expect(ddb).toHaveReceivedCommandTimes(UpdateTableCommand, 1);
  });

  it("throws NotFound on a second run, when the table is already gone", async () => {
    ddb.on(DeleteTableCommand).rejects(notFound);

    await expect(table.delete(context(), found)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("classifies LimitExceededException (too many table operations at once) as throttling", async () => {
    ddb.on(DeleteTableCommand).rejects(ddbError("LimitExceededException", "Too many operations"));

    await expect(table.delete(context(), found)).rejects.toMatchObject({ kind: "throttled" });
  });

  it("with deleteBackups, deletes the on-demand backups the plan recorded, without listing, then the table", async () => {
    ddb.on(DeleteBackupCommand, { BackupArn: backupArn("b1") }).resolves({});
    ddb
      .on(DeleteBackupCommand, { BackupArn: backupArn("b2") })
      .rejects(ddbError("BackupNotFoundException", "gone already"));
    ddb.on(DeleteTableCommand).resolves({});
    const ctx = context({ deleteBackups: true });

    await table.delete(ctx, { ...found, details: { userBackups: [backupArn("b1"), backupArn("b2")] } });

    expect(ddb.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "DeleteBackupCommand",
      "DeleteBackupCommand",
      "DeleteTableCommand",
    ]);
    expect(ctx.progressMessages).toEqual(["1 of 2 backups deleted", "2 of 2 backups deleted"]);
  });

  it("with deleteBackups and none planned, deletes only the table: a backup made after the plan stays", async () => {
    ddb.on(DeleteTableCommand).resolves({});

    await table.delete(context({ deleteBackups: true }), { ...found, details: { userBackups: [] } });

    expect(ddb).not.toHaveReceivedCommand(ListBackupsCommand);
    expect(ddb).not.toHaveReceivedCommand(DeleteBackupCommand);
    expect(ddb).toHaveReceivedCommandTimes(DeleteTableCommand, 1);
  });

  it("with deleteBackups and a plan that did not record them (an older plan file), lists every on-demand backup first", async () => {
    ddb
      .on(ListBackupsCommand)
      .resolvesOnce({
        BackupSummaries: [{ BackupArn: "arn:b1", BackupType: "USER", BackupStatus: "AVAILABLE" }],
        LastEvaluatedBackupArn: "arn:b1",
      })
      .resolvesOnce({ BackupSummaries: [{ BackupArn: "arn:b2", BackupType: "USER", BackupStatus: "AVAILABLE" }] });
    ddb.on(DeleteBackupCommand, { BackupArn: "arn:b1" }).resolves({});
    ddb.on(DeleteBackupCommand, { BackupArn: "arn:b2" }).rejects(ddbError("BackupNotFoundException", "gone already"));
    ddb.on(DeleteTableCommand).resolves({});
    const ctx = context({ deleteBackups: true });

    await table.delete(ctx, found);

    expect(ddb.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "ListBackupsCommand",
      "ListBackupsCommand",
      "DeleteBackupCommand",
      "DeleteBackupCommand",
      "DeleteTableCommand",
    ]);
    expect(ddb).toHaveReceivedNthCommandWith(ListBackupsCommand, 1, { TableName: found.name, BackupType: "USER" });
    expect(ctx.progressMessages).toEqual(["1 of 2 backups deleted", "2 of 2 backups deleted"]);
  });

  it("with deleteBackups and a plan naming another table's backup, lists this table's and deletes only those", async () => {
    const theirs = "arn:aws:dynamodb:ap-southeast-1:123456789012:table/other-project-table/backup/t1";
    ddb.on(ListBackupsCommand).resolves({
      BackupSummaries: [{ BackupArn: backupArn("b1"), BackupType: "USER", BackupStatus: "AVAILABLE" }],
    });
    ddb.on(DeleteBackupCommand).resolves({});
    ddb.on(DeleteTableCommand).resolves({});

    await table.delete(context({ deleteBackups: true }), {
      ...found,
      details: { userBackups: [backupArn("b1"), theirs] },
    });

    expect(ddb).toHaveReceivedCommandWith(ListBackupsCommand, { TableName: found.name, BackupType: "USER" });
    expect(ddb.commandCalls(DeleteBackupCommand).map((c) => c.args[0].input.BackupArn)).toEqual([backupArn("b1")]);
    expect(ddb).toHaveReceivedCommandTimes(DeleteTableCommand, 1);
  });

  it("leaves backups alone without the option", async () => {
    ddb.on(DeleteTableCommand).resolves({});

    await table.delete(context(), found);

    expect(ddb).not.toHaveReceivedCommand(ListBackupsCommand);
    expect(ddb).not.toHaveReceivedCommand(DeleteBackupCommand);
  });

  it("waits (DependencyPending) for a backup that is being created", async () => {
    ddb
      .on(DeleteBackupCommand)
      .rejects(ddbError("BackupInUseException", "There is another ongoing conflicting backup control plane operation"));

    await expect(
      table.delete(context({ deleteBackups: true }), { ...found, details: { userBackups: [backupArn("b1")] } }),
    ).rejects.toMatchObject({ kind: "dependency-pending" });
    expect(ddb).not.toHaveReceivedCommand(DeleteTableCommand);
  });
});

describe("dynamodb.table verify", () => {
  it("says deleting while the table is DELETING", async () => {
    ddb.on(DescribeTableCommand).resolves({ Table: { TableName: found.name, TableStatus: "DELETING" } });

    await expect(table.verify(context(), found)).resolves.toBe("deleting");
    // DeleteTable answers while the table is DELETING: the engine's first read waits a poll.
    expect(table.deletesAsynchronously).toBe(true);
  });

  it("says present while the table is there in any other state", async () => {
    ddb.on(DescribeTableCommand).resolves({ Table: { TableName: found.name, TableStatus: "ACTIVE" } });

    await expect(table.verify(context(), found)).resolves.toBe("present");
  });

  it("says gone on ResourceNotFoundException", async () => {
    ddb.on(DescribeTableCommand).rejects(notFound);

    await expect(table.verify(context(), found)).resolves.toBe("gone");
  });
});
