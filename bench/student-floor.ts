import type { Plan, PlannedResource, Registry } from "@cleanup-runner/core";
import type { DeletableKind } from "@cleanup-runner/plugin-personalize/testing";
import type { StudentAccount } from "./student-account.js";

/** The delete call and the fresh read that confirms it, per type, as `Service Operation`. */
const deleteAndVerify: Record<string, readonly [deleteCall: string, verifyCall: string]> = {
  "s3.bucket": ["S3 DeleteBucket", "S3 HeadBucket"],
  "dynamodb.table": ["DynamoDB DeleteTable", "DynamoDB DescribeTable"],
  "lambda.function": ["Lambda DeleteFunction", "Lambda GetFunction"],
  "lambda.layer": ["Lambda DeleteLayerVersion", "Lambda ListLayerVersions"],
  "logs.log-group": ["CloudWatchLogs DeleteLogGroup", "CloudWatchLogs DescribeLogGroups"],
  "apigateway.rest-api": ["APIGateway DeleteRestApi", "APIGateway GetRestApi"],
  "apigateway.websocket-api": ["ApiGatewayV2 DeleteApi", "ApiGatewayV2 GetApi"],
  "appsync.graphql-api": ["AppSync DeleteGraphqlApi", "AppSync GetGraphqlApi"],
  "amplify.app": ["Amplify DeleteApp", "Amplify GetApp"],
  "personalize.dataset-group": ["Personalize DeleteDatasetGroup", "Personalize DescribeDatasetGroup"],
  "personalize.campaign": ["Personalize DeleteCampaign", "Personalize DescribeCampaign"],
  "personalize.solution": ["Personalize DeleteSolution", "Personalize DescribeSolution"],
  "personalize.recommender": ["Personalize DeleteRecommender", "Personalize DescribeRecommender"],
  "personalize.filter": ["Personalize DeleteFilter", "Personalize DescribeFilter"],
  "personalize.event-tracker": ["Personalize DeleteEventTracker", "Personalize DescribeEventTracker"],
  "personalize.metric-attribution": ["Personalize DeleteMetricAttribution", "Personalize DescribeMetricAttribution"],
  "personalize.dataset": ["Personalize DeleteDataset", "Personalize DescribeDataset"],
  "personalize.schema": ["Personalize DeleteSchema", "Personalize DescribeSchema"],
  "cognito.user-pool": ["CognitoIdentityProvider DeleteUserPool", "CognitoIdentityProvider DescribeUserPool"],
  "eventbridge.rule": ["EventBridge DeleteRule", "EventBridge DescribeRule"],
  "eventbridge.event-bus": ["EventBridge DeleteEventBus", "EventBridge DescribeEventBus"],
  "scheduler.schedule": ["Scheduler DeleteSchedule", "Scheduler GetSchedule"],
  "scheduler.schedule-group": ["Scheduler DeleteScheduleGroup", "Scheduler GetScheduleGroup"],
  "ses.email-identity": ["SESv2 DeleteEmailIdentity", "SESv2 GetEmailIdentity"],
  "ses.configuration-set": ["SESv2 DeleteConfigurationSet", "SESv2 GetConfigurationSet"],
  "iam.role": ["IAM DeleteRole", "IAM GetRole"],
  "iam.policy": ["IAM DeletePolicy", "IAM GetPolicy"],
  "iam.instance-profile": ["IAM DeleteInstanceProfile", "IAM GetInstanceProfile"],
};

/**
 * Types whose deletes the runner may verify many at a time with one listing
 * of the kind (`verifyAll`): the listing operation. Their fewest verifying
 * reads are min(resources, pages of one listing of the account).
 */
const verifiedByListing: Record<string, string> = {
  "personalize.dataset-group": "Personalize ListDatasetGroups",
  "personalize.campaign": "Personalize ListCampaigns",
  "personalize.solution": "Personalize ListSolutions",
  "personalize.recommender": "Personalize ListRecommenders",
  "personalize.filter": "Personalize ListFilters",
  "personalize.event-tracker": "Personalize ListEventTrackers",
  "personalize.metric-attribution": "Personalize ListMetricAttributions",
  "personalize.dataset": "Personalize ListDatasets",
};

/**
 * Reads that find what the plan shows of a resource, one call each per
 * resource as AWS offers them per resource: the children its delete removes
 * (DESIGN.md: "shown in the plan and removed by the owner's delete") and
 * whether it is protected (Object Lock, deletion protection). Where AWS
 * also lists one of them region-wide in fewer calls, the account says so
 * (`StudentAccount.regionWideReads`) and the minimum takes the fewer.
 */
const childReads: Record<string, readonly string[]> = {
  "s3.bucket": ["S3 GetObjectLockConfiguration"],
  "dynamodb.table": ["DynamoDB DescribeTable", "DynamoDB ListBackups"],
  "lambda.function": [
    "Lambda ListVersionsByFunction",
    "Lambda ListAliases",
    // Every URL of the function and its aliases in one call.
    "Lambda ListFunctionUrlConfigs",
    "Lambda ListEventSourceMappings",
  ],
  "apigateway.rest-api": ["APIGateway GetStages", "APIGateway GetUsagePlanKeys"],
  "apigateway.websocket-api": ["ApiGatewayV2 GetRoutes", "ApiGatewayV2 GetStages"],
  "appsync.graphql-api": ["AppSync ListApiKeys", "AppSync ListDataSources", "AppSync ListFunctions"],
  "amplify.app": [
    "Amplify ListBranches",
    "Amplify ListBackendEnvironments",
    "Amplify ListDomainAssociations",
    "Amplify ListWebhooks",
  ],
  "cognito.user-pool": [
    "CognitoIdentityProvider DescribeUserPool",
    "CognitoIdentityProvider ListUserPoolClients",
    "CognitoIdentityProvider ListGroups",
  ],
  "eventbridge.rule": ["EventBridge ListTargetsByRule"],
  "ses.email-identity": ["SESv2 GetEmailIdentity"],
  "ses.configuration-set": ["SESv2 GetConfigurationSetEventDestinations"],
  "iam.role": ["IAM ListRolePolicies", "IAM ListAttachedRolePolicies", "IAM ListInstanceProfilesForRole"],
  "iam.policy": ["IAM ListEntitiesForPolicy", "IAM ListPolicyVersions"],
  // What must go before a dataset group, where the listing's summaries do not name their group
  // (recommenders and filters do, and a dataset's ARN does: their type listings say it).
  "personalize.dataset-group": [
    "Personalize ListSolutions",
    "Personalize ListEventTrackers",
    "Personalize ListMetricAttributions",
  ],
  // Its campaigns go first, and no campaign summary names its solution.
  "personalize.solution": [
    "Personalize ListCampaigns",
    "Personalize ListSolutionVersions",
    "Personalize ListBatchInferenceJobs",
    "Personalize ListBatchSegmentJobs",
  ],
  "personalize.dataset": ["Personalize ListDatasetImportJobs", "Personalize ListDatasetExportJobs"],
};

/**
 * Reads of one thing that AWS offers two ways: `[key, ...operations]`,
 * compared as one operation. An instance profile that its role's delete
 * already deleted is confirmed gone by its own DeleteInstanceProfile's
 * NoSuchEntity as well as by a GetInstanceProfile.
 */
const sameRead: readonly (readonly string[])[] = [
  ["IAM DeleteInstanceProfile|GetInstanceProfile", "IAM DeleteInstanceProfile", "IAM GetInstanceProfile"],
  [
    "Lambda GetFunctionUrlConfig|ListFunctionUrlConfigs",
    "Lambda GetFunctionUrlConfig",
    "Lambda ListFunctionUrlConfigs",
  ],
  [
    "Personalize DescribeDatasetImportJob|ListDatasetImportJobs",
    "Personalize DescribeDatasetImportJob",
    "Personalize ListDatasetImportJobs",
  ],
];

/**
 * For the comparison with the minimum, the two ways to read such a type's
 * state count as one operation (`Personalize DescribeCampaign|ListCampaigns`):
 * which of them the runner uses depends on how many polls fall due together.
 */
export function groupReads(counts: CallCounts): CallCounts {
  const grouped: CallCounts = {};
  for (const [op, n] of Object.entries(counts)) {
    const key = readGroup.get(op) ?? op;
    grouped[key] = (grouped[key] ?? 0) + n;
  }
  return grouped;
}

const readGroup = new Map<string, string>([
  ...Object.entries(verifiedByListing).flatMap(([type, list]): [string, string][] => {
    const describe = deleteAndVerify[type]![1];
    const key = `${describe}|${list.split(" ")[1]}`;
    return [
      [describe, key],
      [list, key],
    ];
  }),
  ...sameRead.flatMap(([key, ...operations]) => operations.map((op): [string, string] => [op, key!])),
]);

/** How long the Personalize fake keeps a deleted resource (DELETE PENDING, then DELETE IN_PROGRESS), ms. */
const personalizeKinds: Record<string, DeletableKind> = {
  "personalize.dataset-group": "datasetGroup",
  "personalize.campaign": "campaign",
  "personalize.solution": "solution",
  "personalize.recommender": "recommender",
  "personalize.filter": "filter",
  "personalize.event-tracker": "eventTracker",
  "personalize.metric-attribution": "metricAttribution",
  "personalize.dataset": "dataset",
  "personalize.schema": "schema",
};

function asyncDeleteMs(type: string, account: StudentAccount): number {
  const kind = personalizeKinds[type];
  if (!kind) return 0;
  const [pending, inProgress] = account.personalizeDurations.deletePhases[kind];
  return pending + inProgress;
}

/** Calls by `Service Operation`. */
export type CallCounts = Record<string, number>;

/** `{ S3: { HeadBucket: 2 } }` (a CallLog's JSON) as `{ "S3 HeadBucket": 2 }`. */
export function flatCalls(calls: Record<string, Record<string, number>>): CallCounts {
  const out: CallCounts = {};
  for (const [service, ops] of Object.entries(calls)) {
    for (const [op, n] of Object.entries(ops)) out[`${service} ${op}`] = n;
  }
  return out;
}

/** All calls of a count. */
export function totalCalls(counts: CallCounts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/**
 * The fewest calls any tool could make for the plan, by operation:
 * - STS GetCallerIdentity once (the account check);
 * - every type's listing once, every page at AWS's largest page size
 *   (one listing of the account per type, not one per prefix), but for a
 *   type listed holder by holder in the holders' own reads (event trackers,
 *   group by group: `Listing.inChildReads`);
 * - per resource one delete (one per version for a layer: no call deletes a
 *   layer) and one verifying read; for a type whose state a listing carries,
 *   one listing of the kind verifies them all when that is fewer calls (made
 *   once they are all gone, it has only the pages of what is left);
 * - per bucket every ListObjectVersions page and ceil(entries / 1,000)
 *   DeleteObjects, one ListMultipartUploads and one abort per upload;
 * - and what AWS refuses the delete without, or the manifest's options ask
 *   for: DetachRolePolicy / DeleteRolePolicy / RemoveRoleFromInstanceProfile
 *   per attachment, DeletePolicyVersion per non-default version,
 *   RemoveTargets per rule, DeleteUserPoolDomain, StopSolutionVersionCreation
 *   per training, DeleteEventSourceMapping per mapping, DeleteBackup per
 *   backup, UpdateUsagePlan + DeleteUsagePlan + DeleteApiKey per REST API;
 * - the reads that find what the plan shows and the delete removes
 *   (`childReads`, and the account's own), once: per resource, or
 *   region-wide where AWS offers that in fewer calls (a role's attachments
 *   from GetAccountAuthorizationDetails, a function's event source mappings
 *   from one ListEventSourceMappings); and for each kind of job or training
 *   a delete waits for, one region-wide listing that sees them end.
 * Not in it: a second read of the same thing (at delete, of what the plan
 * read), reads while waiting beyond that last one, refused deletes.
 */
export function minimumCalls(
  plan: Plan,
  entryTypes: readonly string[],
  account: StudentAccount,
  /**
   * Leave out the reads of what the plan shows and the listings that see waits end (the floor for
   * listing, deleting and verifying alone).
   */
  { withReads = true }: { withReads?: boolean } = {},
): CallCounts {
  const min: CallCounts = {};
  const add = (call: string, n: number) => (min[call] = (min[call] ?? 0) + n);
  add("STS GetCallerIdentity", 1);
  const types = new Set([...entryTypes, ...plan.resources.map((r) => r.type)]);
  for (const l of account.listings)
    if (types.has(l.type) && !l.inChildReads) add(`${l.service} ${l.operation}`, l.pages);
  const listedVerifies = new Map<string, number>();
  for (const r of plan.resources) {
    if (r.action !== "delete") continue;
    const calls = deleteAndVerify[r.type];
    if (!calls) throw new Error(`bench: no delete/verify calls known for ${r.type}`);
    const work = account.work(r.type, r.found.name);
    add(calls[0], work.deletes ?? 1);
    if (verifiedByListing[r.type]) listedVerifies.set(r.type, (listedVerifies.get(r.type) ?? 0) + 1);
    else add(calls[1], 1);
    for (const [call, n] of Object.entries(work.calls)) add(call, n);
    if (!withReads) continue;
    for (const call of childReads[r.type] ?? []) add(call, 1);
    for (const [call, n] of Object.entries(work.reads ?? {})) add(call, n);
  }
  for (const read of withReads ? account.regionWideReads : []) {
    if (!types.has(read.type)) continue;
    const perResource = read.replaces.reduce((n, call) => n + (min[call] ?? 0), 0);
    const along = Object.entries(read.alongWith ?? {});
    const regionWideCalls = read.pages + along.reduce((n, [, calls]) => n + calls, 0);
    if (read.replaces.length > 0 && perResource <= regionWideCalls) continue;
    for (const call of read.replaces) delete min[call];
    add(read.operation, read.pages);
    for (const [call, n] of along) add(call, n);
  }
  for (const [type, resources] of listedVerifies) {
    // The listing that sees the last of them gone lists only what is left.
    const items = account.listings.find((l) => l.type === type)?.items;
    const pages = items ? Math.max(1, Math.ceil((items.count - resources) / items.pageSize)) : resources;
    if (pages < resources) add(verifiedByListing[type]!, pages);
    else add(deleteAndVerify[type]![1], resources);
  }
  return min;
}

/** The least simulated time the plan's work can take, and the chain that sets it. */
export interface Bound {
  readonly ms: number;
  /** Of it, the least planning can take. */
  readonly planMs: number;
  /** The chain of types that ends last, e.g. `apigateway.rest-api x100 (paced) -> iam.role -> iam.policy`. */
  readonly chain: string;
}

interface Node {
  readonly planned: PlannedResource;
  waiting: number;
  ready: number;
  readonly dependents: Node[];
  finish?: number;
  /** The dependency (or the rate-budget predecessor) it waited for last. */
  after?: Node;
  paced?: boolean;
  /** A type barrier: done when every resource of `planned.type` is. */
  barrier?: boolean;
}

/**
 * The least time any tool could take for the plan's work at `latencyMs` a
 * call, on unlimited concurrency:
 *
 *   planning >= latency x (1 account check + the longest listing, page after page
 *               + 1 describe round + 2 per wave of companions)
 *
 * then the plan's dependency graph (its `dependsOn` edges and its type barriers,
 * per resource), each resource started once all it depends on is gone:
 *
 *   start  >= max(end of planning, finish of every dependency)
 *   slot   >= start, and >= the previous slot of each of its type's rate
 *             budgets + perMs / calls (DeleteRestApi: 30 s; Lambda: 1/7 s;
 *             DeleteLogGroup: 1/10 s), slots given in order of start
 *   accept  = max(slot + latency x (rounds of child calls AWS requires first,
 *             e.g. every ListObjectVersions page and the last DeleteObjects of
 *             a bucket) + the service's wait (a training stopping: the
 *             account's stopMs, 3 min in the workshop's durations)
 *             + latency, the end of a job still running on it (an import,
 *             a batch inference))
 *   finish  = accept + the fake's asynchronous delete (Personalize: DELETE
 *             PENDING + DELETE IN_PROGRESS, the account's durations: 45 s to
 *             5 min in the workshop's) + latency (the read that sees it gone)
 *
 * The bound is the latest finish. Times are from `startedAt` (the run's
 * start on the simulated clock); the fake's jobs run from when it was seeded.
 */
export function boundOf(
  plan: Plan,
  registry: Registry,
  account: StudentAccount,
  latencyMs: number,
  startedAt: number,
): Bound {
  const types = new Set<string>(plan.resources.map((r) => r.type));
  const longestListing = Math.max(1, ...account.listings.filter((l) => types.has(l.type)).map((l) => l.chain));
  const byKey = new Map(plan.resources.map((r) => [r.key, r]));
  const waveOf = (r: PlannedResource | undefined): number =>
    r?.companionOf ? 1 + waveOf(byKey.get(r.companionOf.key)) : 0;
  const waves = Math.max(0, ...plan.resources.map((r) => waveOf(r)));
  const planMs = latencyMs * (1 + longestListing + 1 + 2 * waves);

  const nodes = new Map<string, Node>();
  for (const r of plan.resources) {
    if (r.action === "delete") nodes.set(r.key, { planned: r, waiting: 0, ready: planMs, dependents: [] });
  }
  for (const node of nodes.values()) {
    for (const dep of node.planned.dependsOn) {
      const target = nodes.get(dep);
      if (!target) continue;
      node.waiting++;
      target.dependents.push(node);
    }
  }
  // Type-level dependencies are barriers: a resource of W waits for every resource of each type W depends on.
  const barriers = new Map<string, Node>();
  const barrierOf = (type: string): Node => {
    let barrier = barriers.get(type);
    if (!barrier) {
      const planned = { type, found: { id: type, name: `every ${type}` } } as PlannedResource;
      barriers.set(type, (barrier = { planned, waiting: 0, ready: planMs, dependents: [], barrier: true }));
    }
    return barrier;
  };
  for (const node of [...nodes.values()]) {
    for (const dep of plan.typeDependencies?.[node.planned.type] ?? []) {
      node.waiting++;
      barrierOf(dep).dependents.push(node);
    }
  }
  for (const node of nodes.values()) {
    const barrier = barriers.get(node.planned.type);
    if (barrier) {
      barrier.waiting++;
      node.dependents.push(barrier);
    }
  }
  const queue = new MinHeap<Node>((a, b) => a.ready - b.ready);
  for (const barrier of barriers.values()) if (barrier.waiting === 0) queue.push(barrier);
  for (const node of nodes.values()) if (node.waiting === 0) queue.push(node);
  const nextSlot = new Map<string, { at: number; by: Node }>();
  let last: Node | undefined;
  for (let node = queue.pop(); node; node = queue.pop()) {
    const { planned } = node;
    if (node.barrier) {
      node.finish = node.ready;
      for (const dependent of node.dependents) {
        if (node.finish > dependent.ready || !dependent.after) {
          dependent.ready = Math.max(dependent.ready, node.finish);
          dependent.after = node.after ?? dependent.after;
        }
        if (--dependent.waiting === 0) queue.push(dependent);
      }
      continue;
    }
    let slot = node.ready;
    const budgets = registry.get(planned.type)?.rateBudgets ?? [];
    for (const budget of budgets) {
      const free = nextSlot.get(budget.key);
      if (free && free.at > slot) {
        slot = free.at;
        node.after = free.by;
        node.paced = true;
      }
    }
    for (const budget of budgets) nextSlot.set(budget.key, { at: slot + budget.perMs / budget.calls, by: node });
    const work = account.work(planned.type, planned.found.name);
    const accept = Math.max(
      slot + latencyMs * work.rounds + (work.waitMs ?? 0) + latencyMs,
      (work.notBefore ?? -Infinity) - startedAt,
    );
    node.finish = accept + asyncDeleteMs(planned.type, account) + latencyMs;
    if (!last || node.finish > last.finish!) last = node;
    for (const dependent of node.dependents) {
      if (node.finish > dependent.ready || !dependent.after) {
        dependent.ready = Math.max(dependent.ready, node.finish);
        dependent.after = node;
      }
      if (--dependent.waiting === 0) queue.push(dependent);
    }
  }
  return { ms: last?.finish ?? planMs, planMs, chain: describeChain(last) };
}

/** `a x3 (paced) -> b -> c`: the critical chain, consecutive resources of one type collapsed. */
function describeChain(last: Node | undefined): string {
  const steps: { type: string; count: number; paced: boolean }[] = [];
  for (let node = last; node; node = node.after) {
    const top = steps.at(-1);
    if (top?.type === node.planned.type) {
      top.count++;
      top.paced ||= node.paced === true;
    } else steps.push({ type: node.planned.type, count: 1, paced: node.paced === true });
  }
  return steps
    .reverse()
    .map((s) => `${s.type}${s.count > 1 ? ` x${s.count}` : ""}${s.paced ? " (paced)" : ""}`)
    .join(" -> ");
}

/** A binary heap, smallest first. */
class MinHeap<T> {
  readonly #items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => number) {}

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (this.before(items[i]!, items[parent]!) >= 0) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const end = items.pop();
    if (items.length > 0 && end !== undefined) {
      items[0] = end;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.before(items[l]!, items[m]!) < 0) m = l;
        if (r < items.length && this.before(items[r]!, items[m]!) < 0) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}
