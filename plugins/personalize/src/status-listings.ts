/**
 * Account-wide listings of each kind that is deleted asynchronously, page by
 * page, as each resource's ARN and status: the List APIs' summaries carry the
 * status (DELETE PENDING, DELETE IN_PROGRESS included), so one page answers
 * for up to 100 resources being waited for.
 */
import {
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

/** One resource of a listing page. */
export interface ListedStatus {
  readonly arn: string | undefined;
  readonly status: string | undefined;
}

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
