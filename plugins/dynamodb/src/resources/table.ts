import {
  DeleteBackupCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListBackupsCommand,
  ListTagsOfResourceCommand,
  UpdateTableCommand,
  paginateListTables,
  type BackupSummary,
  type BackupTypeFilter,
  type ListBackupsCommandOutput,
  type ListTagsOfResourceCommandOutput,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import {
  classifiedCall,
  classifiedPages,
  classifyAwsError,
  defineResource,
  DependencyPendingError,
  isStringArray,
  oncePerClient,
  pages,
  ProtectedError,
  readOrUndefined,
  removeUnlessGone,
  tagRecord,
  Type,
  type Child,
  type Found,
  type ResourceContext,
  type ResourceError,
  type Static,
  type VerifyResult,
} from "@cleanup-runner/plugin-kit";

const options = Type.Object({
  disableDeletionProtection: Type.Boolean({
    default: false,
    description:
      "Turn deletion protection off (UpdateTable) right before deleting a table that has it on. " +
      "Without it such a table is reported as protected and left alone.",
  }),
  deleteBackups: Type.Boolean({
    default: false,
    description:
      "Also delete the table's on-demand backups that the plan found (DeleteBackup): they survive the table and " +
      "keep costing; a backup made after the plan stays. " +
      "Backups made by AWS Backup are left to AWS Backup.",
  }),
});

/** The options of a `dynamodb.table` entry, defaults applied. */
export type TableOptions = Static<typeof options>;

type Context = ResourceContext<TableOptions>;

/** `arn:aws:dynamodb:region:account:table/name`: ListTables gives names only. */
function tableArn(ctx: Context, name: string): string {
  return `arn:${ctx.partition}:dynamodb:${ctx.region}:${ctx.accountId}:table/${name}`;
}

/** The message DynamoDB (or an emulator) gives a DeleteTable refused by deletion protection. */
function isDeletionProtectionRefusal(error: unknown): boolean {
  const { name, message } = error as { name?: string; message?: string };
  return (name === "ValidationException" || name === "ResourceInUseException") && /protect/i.test(message ?? "");
}

/**
 * ListTables gives names only, so discover yields names and ARNs; the
 * creation date, protection and backups are read by describe, for the tables
 * the selector kept (DescribeTable per table would cost one call per table of
 * the region).
 */
async function* discoverTables(ctx: Context): AsyncGenerator<Found> {
  const client = ctx.client(DynamoDBClient);
  for await (const page of classifiedPages("ListTables", paginateListTables({ client }, {}))) {
    for (const name of page.TableNames ?? []) yield { id: name, name, arn: tableArn(ctx, name) };
  }
}

async function readTableTags(ctx: Context, found: Found): Promise<Record<string, string>> {
  const client = ctx.client(DynamoDBClient);
  const listing = pages(
    (NextToken: string | undefined) =>
      classifiedCall(`ListTagsOfResource ${found.id}`, () =>
        client.send(new ListTagsOfResourceCommand({ ResourceArn: found.arn ?? tableArn(ctx, found.id), NextToken })),
      ),
    (page: ListTagsOfResourceCommandOutput) => page.NextToken,
  );
  const tags: Record<string, string> = {};
  for await (const page of listing) Object.assign(tags, tagRecord(page.Tags));
  return tags;
}

/**
 * Every backup of the given type, over all pages: of the table with this
 * name, or of the whole region when `tableName` is undefined.
 */
async function listBackups(
  client: DynamoDBClient,
  tableName: string | undefined,
  type: BackupTypeFilter,
): Promise<BackupSummary[]> {
  const listing = pages(
    (ExclusiveStartBackupArn: string | undefined) =>
      classifiedCall(`ListBackups${tableName ? ` ${tableName}` : ""}`, () =>
        client.send(
          new ListBackupsCommand({
            ...(tableName ? { TableName: tableName } : {}),
            BackupType: type,
            ExclusiveStartBackupArn,
          }),
        ),
      ),
    (page: ListBackupsCommandOutput) => page.LastEvaluatedBackupArn,
  );
  const backups: BackupSummary[] = [];
  for await (const page of listing) backups.push(...(page.BackupSummaries ?? []));
  return backups.filter((b) => b.BackupStatus !== "DELETED");
}

/**
 * The region's backups by table name, for planning: ListBackups without
 * TableName lists every backup of the account in the region, so one listing
 * per run and region serves every table the plan describes, instead of one
 * per table (ListBackups allows 5 calls a second). The engine hands every
 * describe of a run and region the same cached client; a failed listing is
 * dropped, so the next describe lists again.
 */
const regionBackupsByTable = oncePerClient(async (client: DynamoDBClient) => {
  const byTable = new Map<string, BackupSummary[]>();
  for (const backup of await listBackups(client, undefined, "ALL")) {
    if (!backup.TableName) continue;
    byTable.set(backup.TableName, [...(byTable.get(backup.TableName) ?? []), backup]);
  }
  return byTable;
});

async function describeTable(client: DynamoDBClient, name: string): Promise<TableDescription> {
  return classifiedCall(`DescribeTable ${name}`, async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (!Table) throw new Error("DescribeTable answered without a table");
    return Table;
  });
}

/** What the plan must say about a table beyond its children. */
function tableNotes(ctx: Context, table: TableDescription, userBackups: number, awsBackups: number): string[] {
  const notes: string[] = [];
  if (table.DeletionProtectionEnabled && ctx.options.disableDeletionProtection) {
    notes.push("deletion protection is on: it is turned off (UpdateTable) right before DeleteTable");
  }
  if (userBackups > 0 && !ctx.options.deleteBackups) {
    notes.push(
      `${userBackups} on-demand backup(s) survive the table and keep costing: set options.deleteBackups: true to delete them`,
    );
  }
  if (awsBackups > 0) {
    notes.push(`${awsBackups} backup(s) made by AWS Backup survive the table: delete them in their AWS Backup vault`);
  }
  const replicas = (table.Replicas ?? []).map((r) => r.RegionName).filter((r) => r && r !== ctx.region);
  if (replicas.length > 0) {
    notes.push(
      table.MultiRegionConsistency === "STRONG"
        ? `a multi-Region strongly consistent global table (replicas in ${replicas.join(", ")}): DeleteTable fails ` +
            `until the other replicas are removed (UpdateTable ReplicaUpdates)`
        : `a global table: DeleteTable removes only the replica in ${ctx.region}; the replicas in ` +
            `${replicas.join(", ")} stay unless their regions are targeted too`,
    );
  }
  if (table.StreamSpecification?.StreamEnabled) {
    notes.push("its DynamoDB stream is disabled with the table and deleted by AWS 24 hours later");
  }
  return notes;
}

/**
 * Reads the table and its backups: creation date (for `olderThan`), deletion
 * protection, items, indexes and backups for the plan.
 */
async function describeTableForPlan(ctx: Context, found: Found): Promise<Found> {
  const client = ctx.client(DynamoDBClient);
  // One listing of every backup type: on-demand ones can go with the table,
  // those made by AWS Backup cannot, and both are worth telling about.
  const [table, backupsByTable] = await Promise.all([describeTable(client, found.id), regionBackupsByTable(client)]);
  const backups = backupsByTable.get(found.id) ?? [];
  // What delete removes with deleteBackups: the plan's, as backups never block DeleteTable.
  const userBackupArns = backups.flatMap((b) => (b.BackupType === "USER" && b.BackupArn ? [b.BackupArn] : []));
  const userBackups = userBackupArns.length;
  const awsBackups = backups.filter((b) => b.BackupType === "AWS_BACKUP").length;
  const indexes = (table.GlobalSecondaryIndexes?.length ?? 0) + (table.LocalSecondaryIndexes?.length ?? 0);
  const children: Child[] = [
    // DescribeTable's item count is refreshed about every six hours.
    { kind: "items", count: table.ItemCount ?? 0, note: "approximate" },
    ...(indexes > 0 ? [{ kind: "secondary indexes", count: indexes }] : []),
    ...(userBackups > 0
      ? [{ kind: "on-demand backups", count: userBackups, ...(ctx.options.deleteBackups ? {} : { note: "kept" }) }]
      : []),
  ];
  const protectedReason =
    table.DeletionProtectionEnabled && !ctx.options.disableDeletionProtection
      ? "deletion protection is on: set options.disableDeletionProtection: true to turn it off and delete the table"
      : undefined;
  const notes = tableNotes(ctx, table, userBackups, awsBackups);
  return {
    ...found,
    ...(table.TableArn ? { arn: table.TableArn } : {}),
    ...(table.CreationDateTime ? { createdAt: table.CreationDateTime.toISOString() } : {}),
    details: { ...found.details, userBackups: userBackupArns },
    children,
    ...(notes.length > 0 ? { notes } : {}),
    ...(protectedReason ? { protectedReason } : {}),
  };
}

/**
 * The on-demand backups describe recorded (their ARNs); undefined when the
 * plan has none, e.g. a plan file written before they were recorded, or names
 * one that is not this table's (`<table ARN>/backup/<id>`): a damaged or
 * edited plan file must not delete another table's backup, whatever it says.
 */
function plannedUserBackups(ctx: Context, found: Found): string[] | undefined {
  const arns = found.details?.userBackups;
  const ours = `${tableArn(ctx, found.id)}/backup/`;
  return isStringArray(arns) && arns.every((arn) => arn.startsWith(ours)) ? arns : undefined;
}

/**
 * Deletes the table's on-demand backups the plan recorded, one call each
 * (DeleteBackup allows 10 a second): a backup never blocks DeleteTable, so
 * one made after the plan stays, as the plan did not show it. A plan without
 * them (an older plan file), or naming another table's, has them listed here.
 */
async function deleteUserBackups(ctx: Context, client: DynamoDBClient, found: Found): Promise<void> {
  // Listed in full first: a table has few backups, and deleting while paging
  // could move the page marker.
  const backups =
    plannedUserBackups(ctx, found) ??
    (await listBackups(client, found.id, "USER")).flatMap((b) => (b.BackupArn ? [b.BackupArn] : []));
  let deleted = 0;
  for (const BackupArn of backups) {
    await removeUnlessGone(
      `DeleteBackup ${BackupArn}`,
      () => client.send(new DeleteBackupCommand({ BackupArn })),
      classifyBackupError,
    );
    deleted += 1;
    ctx.progress(`${deleted} of ${backups.length} backups deleted`);
  }
}

/**
 * Deletes the backups when asked, then the table. DeleteTable goes first and
 * deletion protection is lifted only when DynamoDB refuses because of it (and
 * the entry opted in): that stays right whatever changed since the plan and
 * on every re-run.
 */
async function deleteTable(ctx: Context, found: Found): Promise<void> {
  const client = ctx.client(DynamoDBClient);
  const name = found.id;
  if (ctx.options.deleteBackups) await deleteUserBackups(ctx, client, found);
  try {
    await client.send(new DeleteTableCommand({ TableName: name }));
    return;
  } catch (error) {
    if (!isDeletionProtectionRefusal(error)) throw classifyAwsError(error, `DeleteTable ${name}`);
    if (!ctx.options.disableDeletionProtection) {
      throw new ProtectedError(
        `DeleteTable ${name}: deletion protection is on; set options.disableDeletionProtection: true to lift it`,
        { cause: error },
      );
    }
  }
  // ResourceInUseException while the table is UPDATING: the engine runs delete again.
  await classifiedCall(`${name}: lifting deletion protection, then DeleteTable`, async () => {
    await client.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }));
    await client.send(new DeleteTableCommand({ TableName: name }));
  });
}

async function verifyTable(ctx: Context, found: Found): Promise<VerifyResult> {
  const answer = await readOrUndefined(
    () => ctx.client(DynamoDBClient).send(new DescribeTableCommand({ TableName: found.id })),
    `DescribeTable ${found.id}`,
  );
  if (!answer) return "gone";
  return answer.Table?.TableStatus === "DELETING" ? "deleting" : "present";
}

/** A DynamoDB table, with its items and indexes, and on request its on-demand backups. */
export const table = defineResource({
  type: "dynamodb.table",
  description:
    "A DynamoDB table with its items and indexes (and, with deleteBackups, its on-demand backups); deletion protection is lifted only on request.",
  scope: "regional",
  options,
  deletesWith: ["items", "secondary indexes", "streams", "on-demand backups (option deleteBackups)"],
  // DeleteTable answers with the table DELETING; it goes within seconds to minutes.
  deletesAsynchronously: true,
  discover: discoverTables,
  readTags: readTableTags,
  describe: describeTableForPlan,
  delete: deleteTable,
  verify: verifyTable,
});

/** A backup being created or restored right now is in use: wait and try again. */
function classifyBackupError(error: unknown, what = ""): ResourceError {
  if ((error as { name?: string } | undefined)?.name === "BackupInUseException") {
    return new DependencyPendingError(`${what}: the backup is in use`, { cause: error });
  }
  return classifyAwsError(error, what);
}
