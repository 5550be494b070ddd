import {
  DeleteFunctionCommand,
  GetFunctionCommand,
  LambdaClient,
  ListTagsCommand,
  paginateListAliases,
  paginateListFunctions,
  paginateListProvisionedConcurrencyConfigs,
  paginateListVersionsByFunction,
  type FunctionConfiguration,
} from "@aws-sdk/client-lambda";
import {
  classifiedCall,
  classifyAwsError,
  defineResource,
  FatalError,
  readOrUndefined,
  recordedStrings,
  Type,
  type Child,
  type Found,
  type ResourceContext,
  type ResourceError,
  type Static,
} from "@cleanup-runner/plugin-kit";
import {
  deleteMappings,
  listFunctionMappings,
  mappingSource,
  plannedMappingsStillInvoking,
  planningFunctionMappings,
} from "../event-source-mappings.js";
import { controlPlaneBudget } from "../control-plane.js";
import { functionUrls } from "../function-urls.js";
import { isoDate } from "../iso-date.js";

/** The log group Lambda writes a function's logs to unless its logging config names another. */
function defaultLogGroup(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

const options = Type.Object({
  deleteLogGroup: Type.Boolean({
    default: true,
    description:
      "Plan the function's log group `/aws/lambda/<name>` as a `logs.log-group` (the logs plugin must be loaded) " +
      "and delete it only once the function is gone, so that a last invocation cannot re-create it. " +
      "A custom log group set in the function's logging config may be shared, so it is never planned this way: " +
      "the plan names it and a `logs.log-group` entry must select it.",
  }),
  deleteEventSourceMappings: Type.Boolean({
    default: true,
    description:
      "Delete the event source mappings the plan found invoking the function (SQS queues, DynamoDB and Kinesis " +
      "streams, Kafka, Amazon MQ, DocumentDB), including those bound to its aliases and versions, before deleting " +
      "it; a mapping made after the plan stays. " +
      "They are separate resources that DeleteFunction leaves behind; Lambda removes them asynchronously. " +
      "When false, the plan lists them as left behind.",
  }),
});

type FunctionContext = ResourceContext<Static<typeof options>>;

/**
 * `lambda.function`: a Lambda function with its versions, aliases, function
 * URLs and provisioned concurrency; its event source mappings first and its
 * log group after it.
 */
export const lambdaFunction = defineResource({
  type: "lambda.function",
  description:
    "An AWS Lambda function. `olderThan` compares the function's LastModified date, the time of its last code or " +
    "configuration change (Lambda records no creation date), so a recently updated function counts as young. " +
    "Triggers configured in other services (S3 notifications, SNS subscriptions, EventBridge targets, API Gateway " +
    "integrations) belong to those services and are not removed.",
  scope: "regional",
  options,
  deletesWith: [
    "published versions and aliases",
    "function URLs",
    "provisioned concurrency configs (they belong to the versions and aliases)",
    "reserved concurrency and the resource-based policy",
    "event source mappings, including those of its aliases and versions (option deleteEventSourceMappings)",
    "its log group /aws/lambda/<name>, planned as a logs.log-group and deleted after the function (option deleteLogGroup)",
  ],
  rateBudgets: [controlPlaneBudget],

  async *discover(ctx) {
    const client = ctx.client(LambdaClient);
    // ListFunctions has no name filter: hints cannot be pushed down.
    for await (const page of paginateListFunctions({ client, pageSize: 50 }, {})) {
      for (const fn of page.Functions ?? []) {
        const found = toFound(fn);
        if (found) yield found;
      }
    }
  },

  async readTags(ctx, found) {
    const client = ctx.client(LambdaClient);
    const { Tags } = await classifiedCall(`ListTags ${found.name}`, () =>
      client.send(new ListTagsCommand({ Resource: functionArn(ctx, found) })),
    );
    return Tags ?? {};
  },

  async describe(ctx, found) {
    return classifiedCall(`describe function ${found.name}`, () => describeFunction(ctx, found));
  },

  async delete(ctx, found) {
    const client = ctx.client(LambdaClient);
    const deleteFunction = async () => {
      await classifiedCall(
        `DeleteFunction ${found.name}`,
        () => client.send(new DeleteFunctionCommand({ FunctionName: found.name })),
        classifyDeleteFunctionError,
      );
    };
    if (!ctx.options.deleteEventSourceMappings) return deleteFunction();
    // A mapping never blocks DeleteFunction, so the plan's list is all that goes: one made after the plan stays.
    const planned = recordedStrings(found.details?.eventSourceMappings);
    const mappings = planned
      ? // The plan's mappings that still invoke this function, from a region-wide listing deletes share.
        await classifiedCall(`ListEventSourceMappings (to delete those of ${found.name})`, () =>
          plannedMappingsStillInvoking(client, functionArn(ctx, found), planned, ctx.now()),
        )
      : // A plan without the mappings (an older plan file): read them, every qualifier when it did not say which.
        await classifiedCall(`ListEventSourceMappings ${found.name}`, () =>
          listFunctionMappings(client, {
            name: found.name,
            arn: functionArn(ctx, found),
            qualifiers: recordedStrings(found.details?.qualifiers),
            regionMappings: numberOf(found.details?.regionMappings),
          }),
        );
    const requested = await deleteMappings(client, mappings);
    if (requested > 0) ctx.progress(`deleting ${requested} event source mapping(s)`);
    await deleteFunction();
  },

  async verify(ctx, found) {
    const client = ctx.client(LambdaClient);
    const fn = await readOrUndefined(() => client.send(new GetFunctionCommand({ FunctionName: found.name })));
    return fn ? "present" : "gone";
  },
});

function toFound(fn: FunctionConfiguration): Found | undefined {
  if (!fn.FunctionName) return undefined;
  const createdAt = isoDate(fn.LastModified);
  const details: Record<string, unknown> = {
    logGroup: fn.LoggingConfig?.LogGroup ?? defaultLogGroup(fn.FunctionName),
  };
  if (fn.Runtime ?? fn.PackageType) details.runtime = fn.Runtime ?? fn.PackageType;
  if (fn.CodeSize !== undefined) details.codeSize = fn.CodeSize;
  if (fn.LastModified) details.lastModified = fn.LastModified;
  return {
    id: fn.FunctionName,
    name: fn.FunctionName,
    ...(fn.FunctionArn ? { arn: fn.FunctionArn } : {}),
    ...(createdAt ? { createdAt } : {}),
    details,
  };
}

function numberOf(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}

function functionArn(ctx: ResourceContext<unknown>, found: Found): string {
  return found.arn ?? `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.accountId}:function:${found.name}`;
}

async function describeFunction(ctx: FunctionContext, found: Found): Promise<Found> {
  const client = ctx.client(LambdaClient);
  const name = found.name;
  const versions = await publishedVersions(client, name);
  const aliases = await aliasNames(client, name);
  const urls = await functionUrls(client, name, aliases);
  // Provisioned concurrency can only be set on a published version or an alias
  // of one: without published versions there is none to list.
  const provisioned = versions.length > 0 ? await provisionedConcurrency(client, name) : [];
  const qualifiers = [...aliases, ...versions];
  const { mappings, regionMappings } = await planningFunctionMappings(client, functionArn(ctx, found));
  // What delete removes: a mapping already on its way out at planning is left to finish.
  const eventSourceMappings = mappings.flatMap((m) => (m.UUID && m.State !== "Deleting" ? [m.UUID] : []));
  const sources = mappings.map(mappingSource);

  const children: Child[] = [];
  if (versions.length) children.push({ kind: "published versions", count: versions.length, note: listed(versions) });
  if (aliases.length) children.push({ kind: "aliases", count: aliases.length, note: listed(aliases) });
  if (urls.length) children.push({ kind: "function URLs", count: urls.length, note: listed(urls) });
  if (provisioned.length) {
    children.push({ kind: "provisioned concurrency configs", count: provisioned.length, note: listed(provisioned) });
  }
  if (ctx.options.deleteEventSourceMappings && mappings.length) {
    children.push({ kind: "event source mappings", count: mappings.length, note: listed(sources) });
  }

  const notes: string[] = [];
  if (!ctx.options.deleteEventSourceMappings && mappings.length) {
    notes.push(
      `${mappings.length} event source mapping(s) stay behind, still pointing at the deleted function ` +
        `(deleteEventSourceMappings is false): ${listed(sources)}`,
    );
  }
  const logGroup = defaultLogGroup(name);
  if (!ctx.options.deleteLogGroup) notes.push(`its log group ${logGroup} stays (deleteLogGroup is false)`);
  const configured = found.details?.logGroup;
  if (typeof configured === "string" && configured !== logGroup) {
    notes.push(
      `it writes its logs to ${configured}, which other functions may share: not planned with it; ` +
        `select it with a logs.log-group entry to delete it`,
    );
  }

  return {
    ...found,
    details: { ...found.details, qualifiers, regionMappings, eventSourceMappings },
    children,
    notes,
    companions: ctx.options.deleteLogGroup
      ? [{ type: "logs.log-group", names: [logGroup], order: "after", reason: "the function's log group" }]
      : [],
  };
}

async function publishedVersions(client: LambdaClient, name: string): Promise<string[]> {
  const versions: string[] = [];
  for await (const page of paginateListVersionsByFunction({ client, pageSize: 50 }, { FunctionName: name })) {
    for (const v of page.Versions ?? []) if (v.Version && v.Version !== "$LATEST") versions.push(v.Version);
  }
  return versions;
}

async function aliasNames(client: LambdaClient, name: string): Promise<string[]> {
  const aliases: string[] = [];
  for await (const page of paginateListAliases({ client, pageSize: 50 }, { FunctionName: name })) {
    for (const alias of page.Aliases ?? []) if (alias.Name) aliases.push(alias.Name);
  }
  return aliases;
}

/** `live: 5 executions` for each provisioned concurrency config. */
async function provisionedConcurrency(client: LambdaClient, name: string): Promise<string[]> {
  const configs: string[] = [];
  const pages = paginateListProvisionedConcurrencyConfigs({ client, pageSize: 50 }, { FunctionName: name });
  for await (const page of pages) {
    for (const config of page.ProvisionedConcurrencyConfigs ?? []) {
      const qualifier = config.FunctionArn?.split(":").at(-1) ?? "?";
      const executions =
        config.AllocatedProvisionedConcurrentExecutions ?? config.RequestedProvisionedConcurrentExecutions;
      configs.push(`${qualifier}: ${executions ?? 0} executions`);
    }
  }
  return configs;
}

/** The first few items for the plan, and how many more there are. */
function listed(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/** `classifyAwsError`, with DeleteFunction's refusal of a Lambda@Edge function that still has replicas first. */
function classifyDeleteFunctionError(error: unknown, what?: string): ResourceError {
  const e = error as { name?: string; message?: string };
  if (e.name === "InvalidParameterValueException" && /replicated function/i.test(e.message ?? "")) {
    return new FatalError(
      `${what ?? "DeleteFunction"}: it is a Lambda@Edge function with replicas. Remove it from its CloudFront ` +
        `distributions and wait until CloudFront has deleted the replicas (this can take hours), then run again`,
      { cause: error },
    );
  }
  return classifyAwsError(error, what);
}
