import {
  CreateBackupCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListBackupsCommand,
  ListTablesCommand,
  PutItemCommand,
  TagResourceCommand,
} from "@aws-sdk/client-dynamodb";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { table, type TableOptions } from "./table.js";

const moto = useMoto();

function context(options: Partial<TableOptions> = {}) {
  return moto.context<TableOptions>({ resource: table, options });
}

function dynamodb(): DynamoDBClient {
  return moto.client(DynamoDBClient);
}

async function createTable(name: string, settings: { protected?: boolean; items?: number } = {}): Promise<string> {
  const client = dynamodb();
  const { TableDescription } = await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
      DeletionProtectionEnabled: settings.protected ?? false,
    }),
  );
  for (let i = 0; i < (settings.items ?? 0); i++) {
    await client.send(new PutItemCommand({ TableName: name, Item: { id: { S: `student-${i}` } } }));
  }
  return TableDescription?.TableArn ?? "";
}

async function tableNames(): Promise<string[]> {
  const { TableNames } = await dynamodb().send(new ListTablesCommand({}));
  return [...(TableNames ?? [])].sort();
}

async function plan(ctx: ReturnType<typeof context>, name: string) {
  const found = (await collect(table.discover(ctx, {}))).find((f) => f.name === name);
  if (!found) throw new Error(`${name} not discovered`);
  return table.describe!(ctx, found);
}

describe("dynamodb.table against moto", () => {
  it("deletes an unprotected table, leaves the protected one and the decoy", async () => {
    await createTable("Student-Management-Database", { items: 3 });
    await createTable("student-Lecturers", { protected: true });
    await createTable("other-project-table");
    const ctx = context();

    const unprotected = await plan(ctx, "Student-Management-Database");
    const guarded = await plan(ctx, "student-Lecturers");

    expect(unprotected.protectedReason).toBeUndefined();
    expect(unprotected.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(unprotected.children).toContainEqual({ kind: "items", count: 3, note: "approximate" });
    expect(guarded.protectedReason).toMatch(/disableDeletionProtection/);

    await table.delete(ctx, unprotected);
    expect(await table.verify(ctx, unprotected)).toBe("gone");
    // Had the engine called delete on the protected table anyway, it would stay.
    await expect(table.delete(ctx, guarded)).rejects.toMatchObject({ kind: "protected" });

    expect(await tableNames()).toEqual(["other-project-table", "student-Lecturers"]);
  });

  it("lifts deletion protection only with the option, then deletes", async () => {
    await createTable("student-Lecturers", { protected: true });
    const ctx = context({ disableDeletionProtection: true });

    const planned = await plan(ctx, "student-Lecturers");
    expect(planned.protectedReason).toBeUndefined();
    await table.delete(ctx, planned);

    expect(await table.verify(ctx, planned)).toBe("gone");
    expect(await tableNames()).toEqual([]);
  });

  it("throws NotFound on a second run", async () => {
    await createTable("student-Courses");
    const ctx = context();
    const planned = await plan(ctx, "student-Courses");

    await table.delete(ctx, planned);

    await expect(table.delete(ctx, planned)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("deletes on-demand backups with deleteBackups, and only the table's own", async () => {
    await createTable("student-Courses");
    await createTable("other-project-table");
    const client = dynamodb();
    await client.send(new CreateBackupCommand({ TableName: "student-Courses", BackupName: "before-workshop" }));
    await client.send(new CreateBackupCommand({ TableName: "student-Courses", BackupName: "after-lab-2" }));
    await client.send(new CreateBackupCommand({ TableName: "other-project-table", BackupName: "keep-me" }));

    const kept = await plan(context(), "student-Courses");
    expect(kept.notes?.[0]).toMatch(/^2 on-demand backup\(s\) survive the table/);

    const ctx = context({ deleteBackups: true });
    const planned = await plan(ctx, "student-Courses");
    expect(planned.children).toContainEqual({ kind: "on-demand backups", count: 2 });
    await table.delete(ctx, planned);

    const { BackupSummaries } = await client.send(new ListBackupsCommand({}));
    expect((BackupSummaries ?? []).map((b) => b.BackupName)).toEqual(["keep-me"]);
    expect(await tableNames()).toEqual(["other-project-table"]);
  });

  it("reads tags", async () => {
    const arn = await createTable("student-Tagged");
    await dynamodb().send(
      new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "workshop", Value: "student-system" }] }),
    );
    const [found] = await collect(table.discover(context(), {}));

    expect(found?.arn).toBe(arn);
    expect(await table.readTags!(context(), found!)).toEqual({ workshop: "student-system" });
  });

  it("verifies present while the table exists", async () => {
    await createTable("student-Present");
    const ctx = context();

    expect(await table.verify(ctx, { id: "student-Present", name: "student-Present" })).toBe("present");
    const { Table } = await dynamodb().send(new DescribeTableCommand({ TableName: "student-Present" }));
    expect(Table?.TableStatus).toBe("ACTIVE");
  });
});
