import {
  BackupNotFoundException,
  DeleteBackupCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListBackupsCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  ResourceNotFoundException,
  type BackupSummary,
  type ListBackupsCommandInput,
  type ListTablesCommandInput,
  type ListTagsOfResourceCommandInput,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import type { ContractFixture } from "@cleanup-runner/plugin-kit/contract";
import { mockClient } from "aws-sdk-client-mock";

/** One table of the fake account. */
interface FakeTable {
  status: "ACTIVE" | "DELETING";
  readonly tags: Record<string, string>;
  readonly created: Date;
}

/** How the fake account pages and where it is. */
export interface FakeDynamoDbSettings {
  /** Most table names a ListTables page holds (DynamoDB: Limit, at most 100). */
  readonly pageSize?: number;
  /**
   * Most tags a ListTagsOfResource page holds: DynamoDB documents NextToken
   * but no page size, so a reader must follow it; the fake pages small.
   */
  readonly tagPageSize?: number;
  /** Region and account of the table ARNs (the test context's defaults). */
  readonly region?: string;
  readonly accountId?: string;
}

const notFound = (what: string) =>
  new ResourceNotFoundException({ message: `Requested resource not found: ${what} not found`, $metadata: {} });

/**
 * An in-memory DynamoDB account on aws-sdk-client-mock, for the contract
 * suite of `dynamodb.table`, by AWS's rules: ListTables in name order, paged
 * by ExclusiveStartTableName / LastEvaluatedTableName; tags by table ARN,
 * paged by NextToken; every table seeded with one on-demand backup, listed by
 * ListBackups (BackupType defaults to USER) and outliving its table;
 * DeleteTable puts an ACTIVE table in DELETING (a table already DELETING is no
 * error) and `advance()` finishes the deletes; ResourceNotFoundException
 * (HTTP 400, known by its name) for an unknown table.
 */
export function fakeDynamoDbAccount(settings: FakeDynamoDbSettings = {}): ContractFixture {
  const pageSize = settings.pageSize ?? 10;
  const tagPageSize = settings.tagPageSize ?? 1;
  const arnOf = (name: string) =>
    `arn:aws:dynamodb:${settings.region ?? "us-east-1"}:${settings.accountId ?? "123456789012"}:table/${name}`;
  const mock = mockClient(DynamoDBClient);
  let tables = new Map<string, FakeTable>();
  let backups: BackupSummary[] = [];

  function tableNamed(name: string | undefined): FakeTable {
    const table = tables.get(name ?? "");
    if (!table) throw notFound(`Table: ${name}`);
    return table;
  }

  function description(name: string, table: FakeTable): TableDescription {
    return {
      TableName: name,
      TableArn: arnOf(name),
      TableStatus: table.status,
      CreationDateTime: table.created,
      ItemCount: 0,
      TableSizeBytes: 0,
      DeletionProtectionEnabled: false,
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    };
  }

  function listTables(input: ListTablesCommandInput) {
    const names = [...tables.keys()].sort().filter((n) => n > (input.ExclusiveStartTableName ?? ""));
    const page = names.slice(0, Math.min(input.Limit ?? 100, pageSize));
    return {
      TableNames: page,
      ...(names.length > page.length ? { LastEvaluatedTableName: page.at(-1) } : {}),
    };
  }

  function listTags(input: ListTagsOfResourceCommandInput) {
    const name = [...tables.keys()].find((n) => arnOf(n) === input.ResourceArn);
    const entries = Object.entries(tableNamed(name).tags);
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const end = start + tagPageSize;
    return {
      Tags: entries.slice(start, end).map(([Key, Value]) => ({ Key, Value })),
      ...(end < entries.length ? { NextToken: String(end) } : {}),
    };
  }

  function listBackups(input: ListBackupsCommandInput) {
    const type = input.BackupType ?? "USER";
    const matching = backups
      .filter((b) => !input.TableName || b.TableName === input.TableName)
      .filter((b) => type === "ALL" || b.BackupType === type)
      .filter((b) => !input.ExclusiveStartBackupArn || (b.BackupArn ?? "") > input.ExclusiveStartBackupArn);
    const page = matching.slice(0, Math.min(input.Limit ?? 100, pageSize));
    return {
      BackupSummaries: page,
      ...(matching.length > page.length ? { LastEvaluatedBackupArn: page.at(-1)?.BackupArn } : {}),
    };
  }

  return {
    seed(resources) {
      mock.reset();
      tables = new Map(
        resources.map((r) => [
          r.name,
          { status: "ACTIVE", tags: r.tags ?? {}, created: new Date("2024-05-02T08:30:00Z") },
        ]),
      );
      backups = resources
        .map((r) => ({
          TableName: r.name,
          TableArn: arnOf(r.name),
          BackupArn: `${arnOf(r.name)}/backup/01700000000000-${r.name}`,
          BackupName: `${r.name}-nightly`,
          BackupType: "USER" as const,
          BackupStatus: "AVAILABLE" as const,
        }))
        .sort((a, b) => (a.BackupArn < b.BackupArn ? -1 : 1));
      mock.on(ListTablesCommand).callsFake(listTables);
      mock.on(ListTagsOfResourceCommand).callsFake(listTags);
      mock.on(ListBackupsCommand).callsFake(listBackups);
      mock.on(DescribeTableCommand).callsFake((input: { TableName?: string }) => ({
        Table: description(input.TableName ?? "", tableNamed(input.TableName)),
      }));
      mock.on(DeleteTableCommand).callsFake((input: { TableName?: string }) => {
        const table = tableNamed(input.TableName);
        table.status = "DELETING";
        return { TableDescription: description(input.TableName ?? "", table) };
      });
      mock.on(DeleteBackupCommand).callsFake((input: { BackupArn?: string }) => {
        const backup = backups.find((b) => b.BackupArn === input.BackupArn);
        if (!backup) {
          throw new BackupNotFoundException({ message: `Backup not found: ${input.BackupArn}`, $metadata: {} });
        }
        backups = backups.filter((b) => b !== backup);
        return { BackupDescription: { BackupDetails: { ...backup, BackupStatus: "DELETED" } } };
      });
    },
    present: () => [...tables.keys()],
    advance() {
      for (const [name, table] of tables) if (table.status === "DELETING") tables.delete(name);
    },
  };
}
