import { PersonalizeClient, paginateListSolutions } from "@aws-sdk/client-personalize";
import { defineResource, type Found, type ResourceContext } from "@cleanup-runner/plugin-kit";
import { startAsyncDelete, verifiedByStatus, waitingFor, type Blocker } from "../async-delete.js";
import { stillBlocking } from "../blocker-listings.js";
import { listDatasetGroups, type GroupRef } from "../dataset-groups.js";
import { readPersonalizeTags, toFound, withStatusNote } from "../found.js";
import {
  blockerOf,
  describeRef,
  listDatasetJobs,
  listEventTrackersOf,
  listSolutionVersions,
  plannedBlockers,
  plannedBlockersDetails,
  type BlockerKind,
} from "../lookups.js";
import { planningDatasetsOf, planningRunningDatasetJobs, readDatasetsOfGroups } from "../planning-reads.js";
import { isRunning } from "../status.js";

/**
 * What keeps the dataset from going, after AWS refused DeleteDataset: its
 * import or export jobs still running, solution versions of its group in
 * training, and for the interactions dataset the group's event trackers.
 */
async function datasetBlockers(ctx: ResourceContext, found: Found): Promise<Blocker[]> {
  const client = ctx.client(PersonalizeClient);
  const running = (await listDatasetJobs(client, found.id)).filter((j) => isRunning(j.status));
  const blockers = running.map((job) => blockerOf(ctx, job));
  const datasetGroupArn = found.details?.datasetGroupArn;
  if (typeof datasetGroupArn !== "string") return blockers;
  for await (const page of paginateListSolutions({ client }, { datasetGroupArn })) {
    for (const s of page.solutions ?? []) {
      if (!s.solutionArn) continue;
      const training = (await listSolutionVersions(client, s.solutionArn)).filter((v) => isRunning(v.status));
      blockers.push(...training.map((v) => blockerOf(ctx, v, `${describeRef(v)} of solution ${s.name}`)));
    }
  }
  if (String(found.details?.datasetType).toUpperCase() === "INTERACTIONS") {
    for (const t of await listEventTrackersOf(client, datasetGroupArn)) {
      if (!t.eventTrackerArn) continue;
      const ref = { arn: t.eventTrackerArn, kind: "event tracker", name: t.name ?? "", status: t.status } as const;
      blockers.push(blockerOf(ctx, ref));
    }
  }
  return blockers;
}

/** The kinds of blocker the describe records. */
const recordedKinds: ReadonlySet<BlockerKind> = new Set<BlockerKind>(["import job", "export job"]);

/**
 * Before DeleteDataset, which AWS would refuse: the import and export jobs
 * the plan saw running, with their status now (from a recent region-wide
 * listing of each kind). Throws, to wait, while any of them still runs.
 */
async function waitForPlannedJobs(ctx: ResourceContext, found: Found): Promise<void> {
  const planned = plannedBlockers(found.details, recordedKinds);
  if (!planned || planned.refs.length === 0) return;
  const blockers = (await stillBlocking(ctx, planned)).map((ref) => blockerOf(ctx, ref, undefined, planned.seenAt));
  if (blockers.length > 0) throw waitingFor(ctx, `DeleteDataset ${found.name}`, blockers);
}

/**
 * A dataset and its data. Named `<dataset group>/<dataset>` (its ARN carries
 * the group and type, not its name). AWS refuses the delete while an import
 * job or a solution version of its group is in progress: neither can be
 * deleted, so the delete waits for them.
 */
export const dataset = defineResource({
  type: "personalize.dataset",
  description:
    "Amazon Personalize dataset with its data, named <dataset group>/<dataset>; running import and export jobs are waited for.",
  scope: "regional",
  dependsOn: [
    "personalize.campaign",
    "personalize.solution",
    "personalize.recommender",
    "personalize.filter",
    "personalize.event-tracker",
    "personalize.metric-attribution",
  ],
  deletesWith: ["its data", "its import and export job records"],
  deadlineMs: 45 * 60_000,

  async *discover(ctx, hints) {
    const client = ctx.client(PersonalizeClient);
    const groups: GroupRef[] = [];
    for await (const group of listDatasetGroups(client, hints)) groups.push(group);
    await readDatasetsOfGroups(client, groups.length);
    for (const group of groups) {
      for (const d of await planningDatasetsOf(client, group)) {
        yield toFound(d.arn, d.qualifiedName, d.summary, {
          datasetGroupArn: group.arn,
          datasetType: d.summary.datasetType,
        });
      }
    }
  },

  readTags: readPersonalizeTags,

  async describe(ctx, found) {
    const seenAt = ctx.now();
    const running = (await planningRunningDatasetJobs(ctx.client(PersonalizeClient))).get(found.id) ?? [];
    const notes = running.map(
      (j) => `${describeRef(j)} still runs: no API stops or deletes it; the delete waits until it ends`,
    );
    const described = withStatusNote(found, notes);
    return {
      ...described,
      // The delete waits for these before asking AWS, which would refuse it while they run.
      details: { ...described.details, ...plannedBlockersDetails(running, seenAt) },
      // Not counted: the region-wide listings do not say which dataset a job belongs to.
      children: [{ kind: "import and export job records" }],
    };
  },

  async delete(ctx, found) {
    await waitForPlannedJobs(ctx, found);
    await startAsyncDelete(ctx, "dataset", found, () => datasetBlockers(ctx, found));
  },

  ...verifiedByStatus("dataset"),
});
