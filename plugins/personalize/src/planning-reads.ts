/**
 * Reads that planning makes once per run and region and every discover and
 * describe of the plugin consults: a dataset group's describe and a
 * solution's describe both need the campaigns of each solution, a dataset
 * group's describe and the dataset and event tracker discovers each group's
 * datasets or trackers, and so on. Kept per client (the engine hands every
 * discover and describe of a run and region the same one). Only planning
 * uses them; delete and verify read fresh.
 */
import {
  DescribeDatasetExportJobCommand,
  DescribeDatasetImportJobCommand,
  paginateListFilters,
  paginateListRecommenders,
  type FilterSummary,
  type PersonalizeClient,
  type RecommenderSummary,
} from "@aws-sdk/client-personalize";
import { oncePerClient, oncePerClientAndKey, perClient, readOrUndefined } from "@cleanup-runner/plugin-kit";
import {
  listDatasetsOf,
  listRegionDatasets,
  planningDatasetGroups,
  type DatasetRef,
  type GroupRef,
} from "./dataset-groups.js";
import {
  listAllSolutionVersions,
  listBatchJobs,
  listCampaignsOf,
  listDatasetJobsOf,
  listEventTrackersOf,
  type StatusRef,
} from "./lookups.js";
import { isRunning } from "./status.js";
import { pageSize } from "./page-size.js";

/** The datasets of one group, listed for it. */
const datasetsListedFor = oncePerClientAndKey(
  (client: PersonalizeClient, group: GroupRef): Promise<DatasetRef[]> => listDatasetsOf(client, group),
  (group) => group.arn,
);

/** Per client: whether this run reads the region's datasets in one listing (`readDatasetsOfGroups`). */
const datasetsRegionWide = perClient<PersonalizeClient, { chosen: boolean }>(() => ({ chosen: false }));

/** The region's datasets by group ARN, from one listing; `undefined` where an ARN does not name its group. */
const regionDatasets = oncePerClient(async (client: PersonalizeClient) =>
  listRegionDatasets(client, await planningDatasetGroups(client)),
);

/**
 * Says how many groups' datasets planning is about to read: when one
 * listing of the region's datasets takes fewer calls than listing that many
 * groups one by one, the run reads that listing instead (a cohort's matrix
 * of 100 students' groups: 4 calls instead of 100). A group holds at most
 * one dataset of each of the 5 dataset types, 100 a page.
 */
export async function readDatasetsOfGroups(client: PersonalizeClient, groups: number): Promise<void> {
  const regionPages = Math.max(1, Math.ceil(((await planningDatasetGroups(client)).length * 5) / pageSize));
  if (groups > regionPages) datasetsRegionWide(client).chosen = true;
}

/**
 * The datasets of one group: from the region's listing where the run reads
 * one (`readDatasetsOfGroups`) and every ARN in it names its group, else
 * listed for the group (ListDatasets' summaries do not name their group).
 */
export async function planningDatasetsOf(client: PersonalizeClient, group: GroupRef): Promise<DatasetRef[]> {
  if (datasetsRegionWide(client).chosen) {
    const byGroup = await regionDatasets(client);
    if (byGroup) return byGroup.get(group.arn) ?? [];
  }
  return datasetsListedFor(client, group);
}

/** The event trackers of one group (their summaries do not name their group: listed group by group). */
export const planningEventTrackersOf = oncePerClientAndKey(listEventTrackersOf, (datasetGroupArn) => datasetGroupArn);

/** The campaigns of one solution (their summaries name no solution: listed solution by solution). */
export const planningCampaignsOf = oncePerClientAndKey(listCampaignsOf, (solutionArn) => solutionArn);

/** Every solution version of the region, by solution ARN. */
const planningSolutionVersions = oncePerClient(listAllSolutionVersions);

/** Every batch inference and batch segment job of the region. */
export const planningBatchJobs = oncePerClient(listBatchJobs);

/**
 * Every recommender of the region: without a datasetGroupArn,
 * ListRecommenders lists the whole region, and its summaries carry their
 * group. The recommender discover and every group's describe read this one.
 */
export const planningRecommenders = oncePerClient(async (client: PersonalizeClient) => {
  const recommenders: RecommenderSummary[] = [];
  for await (const page of paginateListRecommenders({ client, pageSize }, {})) {
    recommenders.push(...(page.recommenders ?? []));
  }
  return recommenders;
});

/** Every filter of the region, as planningRecommenders: the filter discover's and each group's. */
export const planningFilters = oncePerClient(async (client: PersonalizeClient) => {
  const filters: FilterSummary[] = [];
  // The List response spells this one with a capital F.
  for await (const page of paginateListFilters({ client, pageSize }, {})) filters.push(...(page.Filters ?? []));
  return filters;
});

/** Recommender names by dataset group ARN, from planningRecommenders. */
export async function planningRecommendersByGroup(client: PersonalizeClient): Promise<Map<string, string[]>> {
  return namesByGroup(await planningRecommenders(client));
}

/** Filter names by dataset group ARN, from planningFilters. */
export async function planningFiltersByGroup(client: PersonalizeClient): Promise<Map<string, string[]>> {
  return namesByGroup(await planningFilters(client));
}

function namesByGroup(summaries: readonly { name?: string; datasetGroupArn?: string }[]): Map<string, string[]> {
  const byGroup = new Map<string, string[]>();
  for (const { name, datasetGroupArn } of summaries) {
    if (name === undefined || datasetGroupArn === undefined) continue;
    const names = byGroup.get(datasetGroupArn) ?? [];
    byGroup.set(datasetGroupArn, names);
    names.push(name);
  }
  return byGroup;
}

/**
 * The import and export jobs still running in the region, by dataset ARN.
 * Without a datasetArn, ListDatasetImportJobs and ListDatasetExportJobs list
 * the whole region, but their summaries do not name the dataset: each job
 * still running is described (its Describe* names it), one after the other
 * to keep clear of the API's rate; ended ones, which no delete waits for,
 * are not read. Jobs gone meanwhile are skipped.
 */
export const planningRunningDatasetJobs = oncePerClient(async (client: PersonalizeClient) => {
  const byDataset = new Map<string, StatusRef[]>();
  for (const kind of ["import job", "export job"] as const) {
    for (const ref of (await listDatasetJobsOf(client, kind)).filter((j) => isRunning(j.status))) {
      // Filed under the dataset its Describe* names, with the status read there.
      const { datasetArn, status } = (await readOrUndefined(() => describeDatasetJob(client, ref))) ?? {};
      if (datasetArn === undefined || !isRunning(status)) continue;
      const running = byDataset.get(datasetArn) ?? [];
      byDataset.set(datasetArn, running);
      running.push({ ...ref, status });
    }
  }
  return byDataset;
});

/** An import or export job's Describe*: the dataset it runs on and its status. */
async function describeDatasetJob(
  client: PersonalizeClient,
  job: StatusRef,
): Promise<{ datasetArn?: string | undefined; status?: string | undefined } | undefined> {
  return job.kind === "import job"
    ? (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: job.arn }))).datasetImportJob
    : (await client.send(new DescribeDatasetExportJobCommand({ datasetExportJobArn: job.arn }))).datasetExportJob;
}

/** The solution versions of one solution, as planning read them. */
export async function planningVersionsOf(client: PersonalizeClient, solutionArn: string): Promise<StatusRef[]> {
  return (await planningSolutionVersions(client)).get(solutionArn) ?? [];
}
