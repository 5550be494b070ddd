/**
 * How to read the status of each Personalize kind deleted asynchronously:
 * one resource with its Describe* call, or every resource of the kind with
 * its List* call, page by page (the summaries carry the status, DELETE
 * PENDING and DELETE IN_PROGRESS included, so one page answers for up to 100
 * resources being waited for). What keeps a delete waiting is read from
 * listings too (blocker-listings.ts).
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
  paginateListCampaigns,
  paginateListDatasetGroups,
  paginateListDatasets,
  paginateListEventTrackers,
  paginateListFilters,
  paginateListMetricAttributions,
  paginateListRecommenders,
  paginateListSolutions,
  type PersonalizeClient,
} from "@aws-sdk/client-personalize";
import { readOrUndefined } from "@cleanup-runner/plugin-kit";

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
export interface ListedStatus {
  readonly arn: string | undefined;
  readonly status: string | undefined;
}

/** Every resource of the kind in the client's region, a page at a time (100 a page, the APIs' most). */
export type StatusListing = (client: PersonalizeClient) => AsyncIterable<ListedStatus[]>;

const pageSize = 100;

export const statusListings: Record<AsyncKind, StatusListing> = {
  async *campaign(client) {
    for await (const page of paginateListCampaigns({ client, pageSize }, {})) {
      yield (page.campaigns ?? []).map((c) => ({ arn: c.campaignArn, status: c.status }));
    }
  },
  async *solution(client) {
    for await (const page of paginateListSolutions({ client, pageSize }, {})) {
      yield (page.solutions ?? []).map((s) => ({ arn: s.solutionArn, status: s.status }));
    }
  },
  async *recommender(client) {
    for await (const page of paginateListRecommenders({ client, pageSize }, {})) {
      yield (page.recommenders ?? []).map((r) => ({ arn: r.recommenderArn, status: r.status }));
    }
  },
  async *filter(client) {
    for await (const page of paginateListFilters({ client, pageSize }, {})) {
      yield (page.Filters ?? []).map((f) => ({ arn: f.filterArn, status: f.status }));
    }
  },
  async *"event tracker"(client) {
    for await (const page of paginateListEventTrackers({ client, pageSize }, {})) {
      yield (page.eventTrackers ?? []).map((t) => ({ arn: t.eventTrackerArn, status: t.status }));
    }
  },
  async *"metric attribution"(client) {
    for await (const page of paginateListMetricAttributions({ client, pageSize }, {})) {
      yield (page.metricAttributions ?? []).map((m) => ({ arn: m.metricAttributionArn, status: m.status }));
    }
  },
  async *dataset(client) {
    for await (const page of paginateListDatasets({ client, pageSize }, {})) {
      yield (page.datasets ?? []).map((d) => ({ arn: d.datasetArn, status: d.status }));
    }
  },
  async *"dataset group"(client) {
    for await (const page of paginateListDatasetGroups({ client, pageSize }, {})) {
      yield (page.datasetGroups ?? []).map((g) => ({ arn: g.datasetGroupArn, status: g.status }));
    }
  },
};
