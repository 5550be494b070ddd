import { PersonalizeClient, paginateListEventTrackers, paginateListSolutions } from "@aws-sdk/client-personalize";
import { defineResource, type Found } from "@cleanup-runner/plugin-kit";
import { startAsyncDelete, verifiedByStatus, type Blocker } from "../async-delete.js";
import { listDatasetGroups, listDatasetsOf } from "../dataset-groups.js";
import { readPersonalizeTags, toFound, withStatusNote } from "../found.js";
import { blockerOf, describeRef, listDatasetJobs, listSolutionVersions } from "../lookups.js";
import { isRunning } from "../status.js";

/**
 * What keeps the dataset from going, after AWS refused DeleteDataset: its
 * import or export jobs still running, solution versions of its group in
 * training, and for the interactions dataset the group's event trackers.
 */
async function datasetBlockers(client: PersonalizeClient, found: Found): Promise<Blocker[]> {
  const running = (await listDatasetJobs(client, found.id)).filter((j) => isRunning(j.status));
  const blockers = running.map((job) => blockerOf(client, job));
  const datasetGroupArn = found.details?.datasetGroupArn;
  if (typeof datasetGroupArn !== "string") return blockers;
  for await (const page of paginateListSolutions({ client }, { datasetGroupArn })) {
    for (const s of page.solutions ?? []) {
      if (!s.solutionArn) continue;
      const training = (await listSolutionVersions(client, s.solutionArn)).filter((v) => isRunning(v.status));
      blockers.push(...training.map((v) => blockerOf(client, v, `${describeRef(v)} of solution ${s.name}`)));
    }
  }
  if (String(found.details?.datasetType).toUpperCase() === "INTERACTIONS") {
    for await (const page of paginateListEventTrackers({ client }, { datasetGroupArn })) {
      for (const t of page.eventTrackers ?? []) {
        if (!t.eventTrackerArn) continue;
        const ref = { arn: t.eventTrackerArn, kind: "event tracker", name: t.name ?? "", status: t.status } as const;
        blockers.push(blockerOf(client, ref));
      }
    }
  }
  return blockers;
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
  // An import job still running can hold the delete for tens of minutes.
  pollIntervalMs: 15_000,
  deadlineMs: 45 * 60_000,

  async *discover(ctx, hints) {
    const client = ctx.client(PersonalizeClient);
    // Listed group by group: the summaries do not say which group a dataset belongs to.
    for await (const group of listDatasetGroups(client, hints)) {
      for (const d of await listDatasetsOf(client, group)) {
        yield toFound(d.arn, d.qualifiedName, d.summary, {
          datasetGroupArn: group.arn,
          datasetType: d.summary.datasetType,
        });
      }
    }
  },

  readTags: readPersonalizeTags,

  async describe(ctx, found) {
    const jobs = await listDatasetJobs(ctx.client(PersonalizeClient), found.id);
    const notes = jobs
      .filter((j) => isRunning(j.status))
      .map((j) => `${describeRef(j)} still runs: no API stops or deletes it; the delete waits until it ends`);
    return {
      ...withStatusNote(found, notes),
      children: [{ kind: "import and export job records", count: jobs.length }],
    };
  },

  async delete(ctx, found) {
    const client = ctx.client(PersonalizeClient);
    await startAsyncDelete(ctx, "dataset", found, () => datasetBlockers(client, found));
  },

  ...verifiedByStatus("dataset"),
});
