/**
 * How to read the status of each Personalize kind whose status matters to a
 * delete: one resource deleted asynchronously with its Describe* call, or
 * every resource of a kind with its List* call, page by page (the summaries
 * carry the status, DELETE PENDING and DELETE IN_PROGRESS included, so one
 * page answers for up to 100 resources being waited for). blocker-listings.ts
 * shares the listings of what keeps a delete waiting.
 */
import {
  DescribeCampaignCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeEventTrackerCommand,
  DescribeFilterCommand,
  DescribeMetricAttributionCommand,
  DescribeRecommenderCommand,
  DescribeSolutionCommand,
  paginateListBatchInferenceJobs,
  paginateListBatchSegmentJobs,
  paginateListCampaigns,
  paginateListDatasetExportJobs,
  paginateListDatasetGroups,
  paginateListDatasetImportJobs,
  paginateListDatasets,
  paginateListEventTrackers,
  paginateListFilters,
  paginateListMetricAttributions,
  paginateListRecommenders,
  paginateListSolutionVersions,
  paginateListSolutions,
  type PersonalizeClient,
  type PersonalizePaginationConfiguration,
} from "@aws-sdk/client-personalize";
import { readOrUndefined } from "@cleanup-runner/plugin-kit";
import { pageSize } from "./page-size.js";

/** The kinds whose deletes are waited for. */
export type AsyncKind =
  | "campaign"
  | "solution"
  | "recommender"
  | "filter"
  | "event tracker"
  | "metric attribution"
  | "dataset"
  | "dataset group";

/** Every kind whose status matters to a delete: those deleted asynchronously, and what can block them. */
export type StatusKind =
  AsyncKind | "solution version" | "batch inference job" | "batch segment job" | "import job" | "export job";

type Describe = (client: PersonalizeClient, arn: string) => Promise<string | undefined>;

const describes: Record<AsyncKind, Describe> = {
  campaign: async (client, campaignArn) =>
    (await client.send(new DescribeCampaignCommand({ campaignArn }))).campaign?.status,
  solution: async (client, solutionArn) =>
    (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution?.status,
  recommender: async (client, recommenderArn) =>
    (await client.send(new DescribeRecommenderCommand({ recommenderArn }))).recommender?.status,
  filter: async (client, filterArn) => (await client.send(new DescribeFilterCommand({ filterArn }))).filter?.status,
  "event tracker": async (client, eventTrackerArn) =>
    (await client.send(new DescribeEventTrackerCommand({ eventTrackerArn }))).eventTracker?.status,
  "metric attribution": async (client, metricAttributionArn) =>
    (await client.send(new DescribeMetricAttributionCommand({ metricAttributionArn }))).metricAttribution?.status,
  dataset: async (client, datasetArn) =>
    (await client.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status,
  "dataset group": async (client, datasetGroupArn) =>
    (await client.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup?.status,
};

/**
 * One resource's status from its Describe* call: `undefined` once it is gone,
 * `UNKNOWN` when it exists without one. Other errors are classified.
 */
export async function readStatus(client: PersonalizeClient, kind: AsyncKind, arn: string): Promise<string | undefined> {
  const described = await readOrUndefined(async () => ({ status: await describes[kind](client, arn) }));
  return described === undefined ? undefined : (described.status ?? "UNKNOWN");
}

/** One resource of a listing page. */
interface ListedStatus {
  readonly arn: string | undefined;
  readonly status: string | undefined;
}

/** Every resource of the kind in the client's region, a page at a time (100 a page, the APIs' most). */
type StatusListing = (client: PersonalizeClient) => AsyncIterable<ListedStatus[]>;

/**
 * A kind's listing from its SDK paginator, called without the parent ARN so
 * that it lists the whole region; `statuses` reads a page's summaries (each
 * List* names them and their ARN its own way).
 */
function listing<Page>(
  paginate: (config: PersonalizePaginationConfiguration, input: object) => AsyncIterable<Page>,
  statuses: (page: Page) => ListedStatus[] | undefined,
): StatusListing {
  return async function* (client) {
    for await (const page of paginate({ client, pageSize }, {})) yield statuses(page) ?? [];
  };
}

const statusListings: Record<StatusKind, StatusListing> = {
  campaign: listing(paginateListCampaigns, (p) => p.campaigns?.map((s) => ({ arn: s.campaignArn, status: s.status }))),
  solution: listing(paginateListSolutions, (p) => p.solutions?.map((s) => ({ arn: s.solutionArn, status: s.status }))),
  recommender: listing(paginateListRecommenders, (p) =>
    p.recommenders?.map((s) => ({ arn: s.recommenderArn, status: s.status })),
  ),
  // The List response spells this one with a capital F.
  filter: listing(paginateListFilters, (p) => p.Filters?.map((s) => ({ arn: s.filterArn, status: s.status }))),
  "event tracker": listing(paginateListEventTrackers, (p) =>
    p.eventTrackers?.map((s) => ({ arn: s.eventTrackerArn, status: s.status })),
  ),
  "metric attribution": listing(paginateListMetricAttributions, (p) =>
    p.metricAttributions?.map((s) => ({ arn: s.metricAttributionArn, status: s.status })),
  ),
  dataset: listing(paginateListDatasets, (p) => p.datasets?.map((s) => ({ arn: s.datasetArn, status: s.status }))),
  "dataset group": listing(paginateListDatasetGroups, (p) =>
    p.datasetGroups?.map((s) => ({ arn: s.datasetGroupArn, status: s.status })),
  ),
  "solution version": listing(paginateListSolutionVersions, (p) =>
    p.solutionVersions?.map((s) => ({ arn: s.solutionVersionArn, status: s.status })),
  ),
  "batch inference job": listing(paginateListBatchInferenceJobs, (p) =>
    p.batchInferenceJobs?.map((s) => ({ arn: s.batchInferenceJobArn, status: s.status })),
  ),
  "batch segment job": listing(paginateListBatchSegmentJobs, (p) =>
    p.batchSegmentJobs?.map((s) => ({ arn: s.batchSegmentJobArn, status: s.status })),
  ),
  "import job": listing(paginateListDatasetImportJobs, (p) =>
    p.datasetImportJobs?.map((s) => ({ arn: s.datasetImportJobArn, status: s.status })),
  ),
  "export job": listing(paginateListDatasetExportJobs, (p) =>
    p.datasetExportJobs?.map((s) => ({ arn: s.datasetExportJobArn, status: s.status })),
  ),
};

/** The kinds listed, each once: every kind whose status matters to a delete. */
export const statusKinds = Object.keys(statusListings) as StatusKind[];

/**
 * The status of every resource of the kind in the region by ARN (`UNKNOWN`
 * for one listed without), from one listing, and the pages it took.
 */
export async function listStatuses(
  client: PersonalizeClient,
  kind: StatusKind,
): Promise<{ statuses: ReadonlyMap<string, string>; pages: number }> {
  const statuses = new Map<string, string>();
  let pages = 0;
  for await (const page of statusListings[kind](client)) {
    pages++;
    for (const { arn, status } of page) if (arn) statuses.set(arn, status ?? "UNKNOWN");
  }
  return { statuses, pages };
}
