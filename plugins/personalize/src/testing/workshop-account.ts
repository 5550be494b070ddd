/**
 * The workshop's Personalize footprint as a simulated account, for unit,
 * engine-level and bench tests: one ML ranking dataset group with everything
 * that makes its deletion slow, plus another team's dataset group that must
 * survive.
 */
import { FakePersonalizeAccount, type FakeAccountSettings } from "./fake-account.js";

const minute = 60_000;

/** The names the workshop account uses, for manifests and assertions. */
export interface WorkshopNames {
  readonly datasetGroup: string;
  readonly campaigns: readonly [ranking: string, similarItems: string];
  readonly solutions: readonly [ranking: string, similarItems: string];
  readonly recommender: string;
  readonly filter: string;
  /** Qualified as the plugin names it: `<dataset group>/<event tracker>`. */
  readonly eventTracker: string;
  readonly metricAttribution: string;
  /** Qualified as the plugin names them: `<dataset group>/<dataset>`. */
  readonly datasets: readonly [interactions: string, items: string, users: string];
  /** Used only by the workshop's datasets. */
  readonly privateSchemas: readonly [interactions: string, items: string];
  /** Also used by the other team's users dataset: must be kept. */
  readonly sharedSchema: string;
  /** Another team's dataset group, campaign and dataset: never selected. */
  readonly decoyDatasetGroup: string;
  readonly decoyCampaign: string;
  readonly decoyDataset: string;
}

/** The ARNs of the workshop account's resources. */
export interface WorkshopArns {
  readonly datasetGroup: string;
  readonly campaigns: readonly string[];
  readonly solutions: readonly string[];
  /** Ranking v1 (ACTIVE), ranking v2 (training for 2 h), similar-items v1 (ACTIVE). */
  readonly solutionVersions: readonly string[];
  readonly recommender: string;
  readonly filter: string;
  readonly eventTracker: string;
  readonly metricAttribution: string;
  readonly datasets: readonly string[];
  /** The items import job, still running for 12 minutes. */
  readonly runningImportJob: string;
  /** A batch inference job on similar-items v1, running for 8 minutes. */
  readonly runningBatchInferenceJob: string;
  readonly privateSchemas: readonly string[];
  readonly sharedSchema: string;
  readonly decoyDatasetGroup: string;
  readonly decoyCampaign: string;
  readonly decoyDataset: string;
}

/** A simulated account holding the workshop's footprint. */
export interface WorkshopAccount {
  readonly account: FakePersonalizeAccount;
  readonly names: WorkshopNames;
  readonly arns: WorkshopArns;
}

/**
 * Builds the workshop account: a dataset group with 2 campaigns, 2 solutions
 * (one with a version still training), a recommender, a filter, an event
 * tracker, a metric attribution, 3 datasets (one import job still running),
 * 2 private schemas and 1 schema shared with another team's dataset group.
 */
export function buildWorkshopAccount(settings: FakeAccountSettings & { prefix?: string } = {}): WorkshopAccount {
  const prefix = settings.prefix ?? "student";
  const account = new FakePersonalizeAccount(settings);
  const tags = { workshop: "student-system" };

  const interactionsSchema = account.addSchema({ name: `${prefix}-interactions-schema` });
  const itemsSchema = account.addSchema({ name: `${prefix}-items-schema` });
  const sharedSchema = account.addSchema({ name: "shared-users-schema" });

  const groupName = `${prefix}-ranking-dataset-group`;
  const group = account.addDatasetGroup({ name: groupName, tags });
  const interactions = account.addDataset({
    name: `${prefix}-interactions`,
    group,
    type: "Interactions",
    schema: interactionsSchema,
  });
  const items = account.addDataset({ name: `${prefix}-items`, group, type: "Items", schema: itemsSchema });
  const users = account.addDataset({ name: `${prefix}-users`, group, type: "Users", schema: sharedSchema });
  account.addImportJob({ name: `${prefix}-interactions-import`, dataset: interactions });
  const runningImportJob = account.addImportJob({
    name: `${prefix}-items-import`,
    dataset: items,
    status: "CREATE IN_PROGRESS",
    then: [{ status: "ACTIVE", afterMs: 12 * minute }],
  });

  const ranking = account.addSolution({ name: `${prefix}-ranking-solution`, group, tags });
  const rankingV1 = account.addSolutionVersion({ solution: ranking });
  const rankingV2 = account.addSolutionVersion({
    solution: ranking,
    status: "CREATE IN_PROGRESS",
    then: [{ status: "ACTIVE", afterMs: 120 * minute }],
  });
  const similar = account.addSolution({ name: `${prefix}-similar-items-solution`, group, tags });
  const similarV1 = account.addSolutionVersion({ solution: similar });
  const runningBatchInferenceJob = account.addBatchInferenceJob({
    name: `${prefix}-nightly-batch`,
    solutionVersion: similarV1,
    status: "IN PROGRESS",
    then: [{ status: "ACTIVE", afterMs: 8 * minute }],
  });

  const rankingCampaign = account.addCampaign({
    name: `${prefix}-ranking-campaign`,
    solutionVersion: rankingV1,
    tags,
  });
  const similarCampaign = account.addCampaign({ name: `${prefix}-similar-items-campaign`, solutionVersion: similarV1 });
  const recommender = account.addRecommender({ name: `${prefix}-top-picks`, group });
  const filter = account.addFilter({ name: `${prefix}-exclude-purchased`, group });
  const eventTracker = account.addEventTracker({ name: `${prefix}-event-tracker`, group });
  const metricAttribution = account.addMetricAttribution({ name: `${prefix}-metrics`, group });

  // Another team's group shares the users schema and has a campaign of its own.
  const decoyGroupName = "other-team-dataset-group";
  const decoyGroup = account.addDatasetGroup({ name: decoyGroupName });
  const decoyDataset = account.addDataset({
    name: "other-team-users",
    group: decoyGroup,
    type: "Users",
    schema: sharedSchema,
  });
  const decoySolution = account.addSolution({ name: "other-team-solution", group: decoyGroup });
  const decoyCampaign = account.addCampaign({
    name: "other-team-campaign",
    solutionVersion: account.addSolutionVersion({ solution: decoySolution }),
  });

  return {
    account,
    names: {
      datasetGroup: groupName,
      campaigns: [`${prefix}-ranking-campaign`, `${prefix}-similar-items-campaign`],
      solutions: [`${prefix}-ranking-solution`, `${prefix}-similar-items-solution`],
      recommender: `${prefix}-top-picks`,
      filter: `${prefix}-exclude-purchased`,
      eventTracker: `${groupName}/${prefix}-event-tracker`,
      metricAttribution: `${prefix}-metrics`,
      datasets: [`${groupName}/${prefix}-interactions`, `${groupName}/${prefix}-items`, `${groupName}/${prefix}-users`],
      privateSchemas: [`${prefix}-interactions-schema`, `${prefix}-items-schema`],
      sharedSchema: "shared-users-schema",
      decoyDatasetGroup: decoyGroupName,
      decoyCampaign: "other-team-campaign",
      decoyDataset: `${decoyGroupName}/other-team-users`,
    },
    arns: {
      datasetGroup: group,
      campaigns: [rankingCampaign, similarCampaign],
      solutions: [ranking, similar],
      solutionVersions: [rankingV1, rankingV2, similarV1],
      recommender,
      filter,
      eventTracker,
      metricAttribution,
      datasets: [interactions, items, users],
      runningImportJob,
      runningBatchInferenceJob,
      privateSchemas: [interactionsSchema, itemsSchema],
      sharedSchema,
      decoyDatasetGroup: decoyGroup,
      decoyCampaign,
      decoyDataset,
    },
  };
}
