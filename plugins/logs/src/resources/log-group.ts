import {
  CloudWatchLogsClient,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  PutLogGroupDeletionProtectionCommand,
  paginateDescribeLogGroups,
  type LogGroup,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  DependencyPendingError,
  ProtectedError,
  Type,
  classifiedCall,
  classifyAwsError,
  defineResource,
  type Child,
  type Found,
} from "@cleanup-runner/plugin-kit";

const options = Type.Object({
  disableDeletionProtection: Type.Boolean({
    default: false,
    description:
      "Turn off deletion protection (PutLogGroupDeletionProtection) on a selected log group that has it, then " +
      "delete it. Without this option such a group is planned as protected and never deleted.",
  }),
});

/**
 * `logs.log-group`: a CloudWatch Logs log group with its streams and events,
 * deleted at CloudWatch Logs' DeleteLogGroup pace.
 */
export const logGroup = defineResource({
  type: "logs.log-group",
  description:
    "A CloudWatch Logs log group, of any kind: `/aws/lambda/...`, `/aws/appsync/...`, `/aws/events/...`, " +
    "`API-Gateway-Execution-Logs_...` or your own. A `prefix` (or the common prefix of `names`) is sent to " +
    "DescribeLogGroups as `logGroupNamePrefix`; glob and regex are matched on the names listed. `olderThan` " +
    "compares the group's creation time. The plan shows the bytes each group stores (`details.storedBytes`). " +
    "A group with deletion protection is protected unless the entry sets `disableDeletionProtection`; a data " +
    "protection (masking) policy does not block deletion and goes with the group.",
  scope: "regional",
  options,
  deletesWith: [
    "its log streams and every stored log event",
    "metric filters and subscription filters",
    "its retention setting, KMS key association, data protection policy and other log-group settings",
  ],
  // DeleteLogGroup: 10 transactions per second per account per Region (adjustable in Service Quotas).
  rateBudgets: [{ key: "logs:DeleteLogGroup", calls: 10, perMs: 1000, scope: "region" }],

  async *discover(ctx, hints) {
    const client = ctx.client(CloudWatchLogsClient);
    const prefix = hints.prefix;
    const input = prefix ? { logGroupNamePrefix: prefix } : {};
    for await (const page of paginateDescribeLogGroups({ client, pageSize: 50 }, input)) {
      for (const group of page.logGroups ?? []) {
        const found = toFound(group);
        if (found) yield found;
      }
    }
  },

  async readTags(ctx, found) {
    const client = ctx.client(CloudWatchLogsClient);
    // The tagging APIs take the ARN without the trailing `:*`.
    const { tags } = await classifiedCall(`ListTagsForResource ${found.name}`, () =>
      client.send(new ListTagsForResourceCommand({ resourceArn: taggingArn(ctx, found) })),
    );
    return tags ?? {};
  },

  // Everything the plan needs came with DescribeLogGroups: no API call here.
  async describe(ctx, found) {
    const details = found.details ?? {};
    const storedBytes = typeof details.storedBytes === "number" ? details.storedBytes : 0;
    const children: Child[] = [{ kind: "stored log data", bytes: storedBytes }];
    if (typeof details.metricFilterCount === "number" && details.metricFilterCount > 0) {
      children.push({ kind: "metric filters", count: details.metricFilterCount });
    }
    const notes: string[] = [];
    if (details.dataProtectionStatus === "ACTIVATED") {
      notes.push("it has a data protection (masking) policy, which does not block deletion and goes with it");
    }
    const protectedReason =
      details.deletionProtectionEnabled === true && !ctx.options.disableDeletionProtection
        ? "deletion protection is enabled (set the option disableDeletionProtection to turn it off and delete)"
        : undefined;
    return { ...found, children, notes, ...(protectedReason ? { protectedReason } : {}) };
  },

  async delete(ctx, found) {
    const client = ctx.client(CloudWatchLogsClient);
    const name = found.name;
    const lift = ctx.options.disableDeletionProtection;
    if (lift && found.details?.deletionProtectionEnabled === true) await turnOffDeletionProtection(client, name);
    try {
      await client.send(new DeleteLogGroupCommand({ logGroupName: name }));
    } catch (error) {
      if (!isDeletionProtected(error)) throw classifyAwsError(error, `DeleteLogGroup ${name}`);
      if (!lift) throw new ProtectedError(`log group ${name} has deletion protection enabled`, { cause: error });
      // Protection was turned on after the plan was made. One DeleteLogGroup per
      // attempt keeps the rate budget exact: the engine runs delete again.
      await turnOffDeletionProtection(client, name);
      throw new DependencyPendingError(`turned off deletion protection of log group ${name}; deleting it next`, {
        cause: error,
      });
    }
  },

  async verify(ctx, found) {
    const client = ctx.client(CloudWatchLogsClient);
    // Results are ASCII-sorted by name, so the exact name, a prefix of every
    // other match, comes first when it exists.
    const { logGroups } = await classifiedCall(`DescribeLogGroups ${found.name}`, () =>
      client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: found.name })),
    );
    return logGroups?.some((g) => g.logGroupName === found.name) ? "present" : "gone";
  },
});

function toFound(group: LogGroup): Found | undefined {
  if (!group.logGroupName) return undefined;
  const arn = group.logGroupArn ?? group.arn?.replace(/:\*$/, "");
  const details: Record<string, unknown> = { storedBytes: group.storedBytes ?? 0 };
  if (group.retentionInDays !== undefined) details.retentionInDays = group.retentionInDays;
  if (group.metricFilterCount !== undefined) details.metricFilterCount = group.metricFilterCount;
  if (group.logGroupClass) details.logGroupClass = group.logGroupClass;
  if (group.dataProtectionStatus) details.dataProtectionStatus = group.dataProtectionStatus;
  if (group.deletionProtectionEnabled !== undefined)
    details.deletionProtectionEnabled = group.deletionProtectionEnabled;
  return {
    id: group.logGroupName,
    name: group.logGroupName,
    ...(arn ? { arn } : {}),
    ...(group.creationTime !== undefined ? { createdAt: new Date(group.creationTime).toISOString() } : {}),
    details,
  };
}

function taggingArn(ctx: { partition: string; region: string; accountId: string }, found: Found): string {
  return found.arn ?? `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${found.name}`;
}

/** DeleteLogGroup on a protected group: ValidationException "Cannot delete log group with deletion protection enabled...". */
function isDeletionProtected(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e.name === "ValidationException" && /deletion protection/i.test(e.message ?? "");
}

async function turnOffDeletionProtection(client: CloudWatchLogsClient, name: string): Promise<void> {
  await classifiedCall(`PutLogGroupDeletionProtection ${name}`, () =>
    client.send(
      new PutLogGroupDeletionProtectionCommand({ logGroupIdentifier: name, deletionProtectionEnabled: false }),
    ),
  );
}
