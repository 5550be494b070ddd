/**
 * The status of what keeps a delete waiting (a training, a job, a campaign,
 * an event tracker), read from one region-wide listing of its kind that
 * answers every wait of the run and region for 15 seconds, instead of a
 * Describe* per blocker per poll: the engine checks each waiting delete on its
 * own schedule (from when that delete began), so at any moment many ask
 * about the same kind.
 *
 * A listing up to 15 s old may say "still running" of a job that has just
 * ended (one more wait); it never says "ended" of one that runs, as those
 * states do not come back. One that lacks a blocker answers "gone" only if
 * it began after the blocker was seen (else the blocker may simply be newer).
 */
import { PersonalizeClient } from "@aws-sdk/client-personalize";
import { sharedWhileRecent, type RecentRead, type ResourceContext } from "@cleanup-runner/plugin-kit";
import type { BlockerKind, PlannedBlockers, StatusRef } from "./lookups.js";
import { isRunning } from "./status.js";
import { listStatuses, statusKinds, type StatusKind } from "./statuses.js";

/**
 * How long one listing answers every wait of its kind: a wait learns of an
 * end at most that much later than from a read of its own, a small share of
 * the 2 minutes between its checks (`asyncDeletePollMs`).
 */
export const listingMaxAgeMs = 15_000;

/**
 * Each kind's region-wide listing (statuses by ARN), shared while it began at
 * most `listingMaxAgeMs` ago; per client (a run and region). Made for every
 * kind the listings know; only those of blockers are read.
 */
const recentListings = Object.fromEntries(
  statusKinds.map((kind) => [
    kind,
    sharedWhileRecent(
      listingMaxAgeMs,
      async (client: PersonalizeClient) => (await listStatuses(client, kind)).statuses,
    ),
  ]),
) as Record<
  StatusKind,
  (client: PersonalizeClient, now: number, notBefore?: number) => RecentRead<ReadonlyMap<string, string>>
>;

/** The last listing of the kind if it began at most `listingMaxAgeMs` ago and not before `since`; else a new one. */
function recentListing(
  ctx: Pick<ResourceContext, "client" | "now">,
  kind: BlockerKind,
  since: number,
): RecentRead<ReadonlyMap<string, string>> {
  return recentListings[kind](ctx.client(PersonalizeClient), ctx.now(), since);
}

/**
 * The blocker's status from a recent region-wide listing of its kind;
 * `undefined` once it is gone. `seenAt` is when the blocker was seen (the
 * engine's clock): a listing older than that cannot tell it is gone.
 */
export async function listedStatus(
  ctx: Pick<ResourceContext, "client" | "now">,
  ref: Pick<StatusRef, "arn" | "kind">,
  seenAt: number,
): Promise<string | undefined> {
  const listing = recentListing(ctx, ref.kind, -Infinity);
  const status = (await listing.value).get(ref.arn);
  if (status !== undefined || listing.startedAt >= seenAt) return status;
  return (await recentListing(ctx, ref.kind, seenAt).value).get(ref.arn);
}

/**
 * Whether a blocker in this status still keeps a delete waiting: a job or a
 * training until it ends, a campaign or an event tracker until it is gone.
 */
export function stillBlocksIn(kind: BlockerKind, status: string | undefined): boolean {
  if (status === undefined) return false;
  return kind === "campaign" || kind === "event tracker" || isRunning(status);
}

/**
 * The blockers a plan recorded that still keep the delete waiting, each with
 * its status now, read as `listedStatus` reads it.
 */
export async function stillBlocking(
  ctx: Pick<ResourceContext, "client" | "now">,
  planned: PlannedBlockers,
): Promise<StatusRef[]> {
  const blocking: StatusRef[] = [];
  for (const ref of planned.refs) {
    const status = await listedStatus(ctx, ref, planned.seenAt);
    if (stillBlocksIn(ref.kind, status)) blocking.push({ ...ref, status });
  }
  return blocking;
}
