import {
  DependencyPendingError,
  NotFoundError,
  classifyAwsError,
  perClient,
  type Found,
  type ResourceContext,
  type ResourceType,
  type VerifyResult,
} from "@cleanup-runner/plugin-kit";
import {
  DeleteCampaignCommand,
  DeleteDatasetCommand,
  DeleteDatasetGroupCommand,
  DeleteEventTrackerCommand,
  DeleteFilterCommand,
  DeleteMetricAttributionCommand,
  DeleteRecommenderCommand,
  DeleteSolutionCommand,
  PersonalizeClient,
} from "@aws-sdk/client-personalize";
import { withStatusNote } from "./found.js";
import { listStatuses, readStatus, type AsyncKind } from "./statuses.js";
import { isChanging, isDeleting } from "./status.js";

/** A kind's Delete* call. */
interface DeleteCall {
  /** The operation's name, for messages: `DeleteCampaign`. */
  readonly operation: string;
  send(client: PersonalizeClient, arn: string): Promise<unknown>;
}

const deleteCalls: Record<AsyncKind, DeleteCall> = {
  campaign: {
    operation: "DeleteCampaign",
    send: (client, campaignArn) => client.send(new DeleteCampaignCommand({ campaignArn })),
  },
  solution: {
    operation: "DeleteSolution",
    send: (client, solutionArn) => client.send(new DeleteSolutionCommand({ solutionArn })),
  },
  recommender: {
    operation: "DeleteRecommender",
    send: (client, recommenderArn) => client.send(new DeleteRecommenderCommand({ recommenderArn })),
  },
  filter: {
    operation: "DeleteFilter",
    send: (client, filterArn) => client.send(new DeleteFilterCommand({ filterArn })),
  },
  "event tracker": {
    operation: "DeleteEventTracker",
    send: (client, eventTrackerArn) => client.send(new DeleteEventTrackerCommand({ eventTrackerArn })),
  },
  "metric attribution": {
    operation: "DeleteMetricAttribution",
    send: (client, metricAttributionArn) => client.send(new DeleteMetricAttributionCommand({ metricAttributionArn })),
  },
  dataset: {
    operation: "DeleteDataset",
    send: (client, datasetArn) => client.send(new DeleteDatasetCommand({ datasetArn })),
  },
  "dataset group": {
    operation: "DeleteDatasetGroup",
    send: (client, datasetGroupArn) => client.send(new DeleteDatasetGroupCommand({ datasetGroupArn })),
  },
};

/** Something a delete waits for. */
export interface Blocker {
  /** Said the way a person reads it: `import job items-import (CREATE IN_PROGRESS)`. */
  readonly what: string;
  /** One read: whether it still keeps the delete waiting (false once it has ended or is gone). */
  stillBlocks(): Promise<boolean>;
}

function isResourceInUse(error: unknown): boolean {
  return (error as { name?: unknown } | undefined)?.name === "ResourceInUseException";
}

/**
 * Starts an asynchronous delete: one Delete* call. AWS answers
 * ResourceInUseException both when the resource is already being deleted
 * (a second run, or a delete someone else started: fine, the engine then
 * waits with verify) and when something still uses it or it is still
 * changing state: then the delete throws DependencyPendingError naming what
 * it waits for, and the engine retries until the type's deadline. The state
 * is read only after a refusal, so a plain delete costs one call.
 * `findBlockers` says what keeps the resource from being deleted (an import
 * job still running), acting on it where the options allow (stopping a
 * training); it is asked only after AWS refused the delete.
 */
export async function startAsyncDelete(
  ctx: Pick<ResourceContext, "progress" | "client">,
  kind: AsyncKind,
  found: Found,
  findBlockers?: () => Promise<Blocker[]>,
): Promise<void> {
  const client = ctx.client(PersonalizeClient);
  const call = deleteCalls[kind];
  const what = `${call.operation} ${found.name}`;
  let refusal: unknown;
  try {
    await call.send(client, found.id);
    return;
  } catch (error) {
    if (!isResourceInUse(error)) throw classifyAwsError(error, what);
    refusal = error;
  }
  const status = await readStatus(client, kind, found.id);
  if (status === undefined) throw new NotFoundError(`${what}: already gone`, { cause: refusal });
  if (isDeleting(status)) {
    ctx.progress(status);
    return;
  }
  const blockers = (await findBlockers?.()) ?? [];
  if (blockers.length > 0) throw waitingFor(ctx, what, blockers, refusal);
  const reason = `refused while it is ${status}: ${(refusal as Error).message}`;
  ctx.progress(reason);
  // Until its own state settles, the engine reads that (one call) rather than attempting the delete again.
  throw new DependencyPendingError(`${what}: ${reason}`, {
    cause: refusal,
    ...(isChanging(status) ? { stillPending: async () => isChanging(await readStatus(client, kind, found.id)) } : {}),
  });
}

/**
 * The error that makes the engine wait for these blockers: until they end,
 * it checks them (a recent region-wide listing answers many checks) rather
 * than attempting the delete again (the delete, a status read and the
 * blocker listings). Reports what the delete waits for as progress.
 */
export function waitingFor(
  ctx: Pick<ResourceContext, "progress">,
  what: string,
  blockers: Blocker[],
  cause?: unknown,
): DependencyPendingError {
  const reason = `waiting for ${blockers.map((b) => b.what).join(", ")}`;
  ctx.progress(reason);
  return new DependencyPendingError(`${what}: ${reason}`, {
    ...(cause !== undefined ? { cause } : {}),
    stillPending: () => anyStillBlocks(blockers),
  });
}

/**
 * Whether any blocker still blocks, reading them in turn and stopping at the
 * first that does. Those that ended are not read again.
 */
async function anyStillBlocks(blockers: Blocker[]): Promise<boolean> {
  while (blockers.length > 0) {
    if (await blockers[0]!.stillBlocks()) return true;
    blockers.shift();
  }
  return false;
}

/**
 * describe, delete, verify and verifyAll of a kind whose delete waits for
 * nothing but its own status: the plan notes that status, the delete is
 * startAsyncDelete without blockers, and verify reads the status.
 */
export function deletedAsynchronously(
  kind: AsyncKind,
): Pick<ResourceType, "describe" | "delete" | "verify" | "verifyAll" | "deletesAsynchronously" | "pollIntervalMs"> {
  return {
    describe: async (_ctx, found) => withStatusNote(found),
    delete: (ctx, found) => startAsyncDelete(ctx, kind, found),
    ...verifiedByStatus(kind),
  };
}

/**
 * How often the engine reads a kind deleted asynchronously, and what its
 * delete waits for (a training stopping, an import job): Personalize's
 * deletes and jobs take minutes, so a read every 2 minutes, spaced out
 * further as the wait grows, sees each end at most that late while reading
 * a wait of minutes a few times. The pace is a trade of calls for wall time,
 * measured at several paces and durations in docs/performance.md
 * ("Polling Personalize").
 */
const asyncDeletePollMs = 120_000;

/**
 * `verify` and `verifyAll` of a kind deleted asynchronously: gone on
 * NotFound, deleting while DELETE *, else present. Every such delete
 * returns while the resource is still DELETE PENDING, so the engine's
 * first read waits a poll (`deletesAsynchronously`), of `asyncDeletePollMs`.
 */
export function verifiedByStatus(
  kind: AsyncKind,
): Pick<ResourceType, "verify" | "verifyAll" | "deletesAsynchronously" | "pollIntervalMs"> {
  return {
    deletesAsynchronously: true,
    pollIntervalMs: asyncDeletePollMs,
    async verify(ctx, found) {
      const status = await readStatus(ctx.client(PersonalizeClient), kind, found.id);
      const state = stateOf(status);
      if (state === "deleting") ctx.progress(status!);
      return state;
    },
    verifyAll: (ctx, found) => verifyAllByListing(ctx.client(PersonalizeClient), kind, found),
  };
}

function stateOf(status: string | undefined): VerifyResult {
  if (status === undefined) return "gone";
  return isDeleting(status) ? "deleting" : "present";
}

/** Pages the last listing of each kind took, per client (a run and region): what a listing will cost. */
const listingPages = perClient<PersonalizeClient, Map<AsyncKind, number>>(() => new Map());

/**
 * Every resource of the kind in the region from one listing (100 a page),
 * instead of a Describe* each; one the listing lacks is gone. Reads them
 * one by one instead when that takes fewer calls, judging by the pages the
 * last listing of the kind took.
 */
async function verifyAllByListing(
  client: PersonalizeClient,
  kind: AsyncKind,
  found: readonly Found[],
): Promise<VerifyResult[]> {
  const seen = listingPages(client);
  if (found.length <= (seen.get(kind) ?? 1)) {
    return Promise.all(found.map(async (f) => stateOf(await readStatus(client, kind, f.id))));
  }
  const { statuses, pages } = await listStatuses(client, kind);
  seen.set(kind, pages);
  return found.map((f) => stateOf(statuses.get(f.id)));
}
