import {
  BatchWriteItemCommand,
  CreateBackupCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListBackupsCommand,
} from "@aws-sdk/client-dynamodb";
import { clientConfig, seeded, type SeedResult, type SeedTarget, type SeededResource } from "./types.js";

/**
 * Seeds the workshop's DynamoDB footprint: `Student-Management-Database`
 * (the name the workshop gives it, the same for every cohort) with a few
 * students, and `${prefix}-Lecturers`, which has deletion protection on and
 * an on-demand backup (the manifest entry that selects it must opt in to
 * `disableDeletionProtection` and `deleteBackups`). Decoy: `other-project-table`.
 */
export async function seedDynamodb(target: SeedTarget, prefix: string): Promise<SeedResult> {
  const dynamodb = new DynamoDBClient(clientConfig(target));

  async function createTable(name: string, deletionProtection = false): Promise<void> {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
        DeletionProtectionEnabled: deletionProtection,
        Tags: [{ Key: "project", Value: name }],
      }),
    );
  }

  const students = "Student-Management-Database";
  await createTable(students);
  await dynamodb.send(
    new BatchWriteItemCommand({
      RequestItems: {
        [students]: ["s001", "s002", "s003"].map((id) => ({
          PutRequest: { Item: { id: { S: id }, name: { S: `Student ${id}` }, course: { S: "CS101" } } },
        })),
      },
    }),
  );

  const lecturers = `${prefix}-Lecturers`;
  await createTable(lecturers, true);
  const backupName = `${prefix}-lecturers-backup`;
  await dynamodb.send(new CreateBackupCommand({ TableName: lecturers, BackupName: backupName }));

  const decoy = "other-project-table";
  await createTable(decoy);

  // A table still DELETING exists: the runner waits until it is gone.
  const table = (name: string) =>
    seeded(`dynamodb.table ${name}`, () => dynamodb.send(new DescribeTableCommand({ TableName: name })));

  const backup: SeededResource = {
    description: `dynamodb on-demand backup ${backupName} of ${lecturers}`,
    exists: async () => {
      // A table has few backups: one page holds them.
      const { BackupSummaries } = await dynamodb.send(new ListBackupsCommand({ TableName: lecturers }));
      return Boolean(BackupSummaries?.some((b) => b.BackupName === backupName && b.BackupStatus !== "DELETED"));
    },
  };

  return { selected: [table(students), table(lecturers), backup], decoys: [table(decoy)] };
}
