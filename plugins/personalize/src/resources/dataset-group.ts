import { PersonalizeClient, paginateListMetricAttributions, paginateListSolutions } from "@aws-sdk/client-personalize";
import { Type, defineResource, type Companion, type ResourceTypeName } from "@cleanup-runner/plugin-kit";
import { startAsyncDelete, verifiedByStatus } from "../async-delete.js";
import { listDatasetGroups, qualifiedName, type DatasetRef, type GroupRef } from "../dataset-groups.js";
import { readPersonalizeTags, toFound, withStatusNote } from "../found.js";
import { planningDatasetIndex, planningSchemaNames, readDatasetsOfEveryGroup } from "../dataset-index.js";
import { readSchemaUses, type SchemaUse } from "../lookups.js";
import {
  planningCampaignsOf,
  planningDatasetsOf,
  planningEventTrackersOf,
  planningFiltersByGroup,
  planningRecommendersByGroup,
} from "../planning-reads.js";
import { isDeleting } from "../status.js";
import { pageSize } from "../page-size.js";

const options = Type.Object({
  deleteSchemas: Type.Boolean({
    default: false,
    description:
      "Also delete the schemas the group's datasets use, after the group is gone, but only those no dataset " +
      "outside the group uses (schemas are account-wide and cost nothing; the plan says which are kept and why).",
  }),
});

/** Everything inside a dataset group, by the names each type's discover gives it. */
interface GroupContents {
  readonly campaigns: string[];
  readonly solutions: string[];
  readonly recommenders: string[];
  readonly filters: string[];
  readonly eventTrackers: string[];
  readonly metricAttributions: string[];
  readonly datasets: DatasetRef[];
}

/**
 * What the group holds, from the run's planning reads: recommenders and
 * filters from one region-wide listing each (their summaries name their
 * group); solutions, event trackers and metric attributions listed for the
 * group, campaigns for each of its solutions (those summaries name neither).
 */
async function readGroupContents(client: PersonalizeClient, group: GroupRef): Promise<GroupContents> {
  const datasetGroupArn = group.arn;
  const [datasets, recommenders, filters, eventTrackers] = await Promise.all([
    planningDatasetsOf(client, group),
    planningRecommendersByGroup(client),
    planningFiltersByGroup(client),
    planningEventTrackersOf(client, datasetGroupArn),
  ]);
  const contents: GroupContents = {
    campaigns: [],
    solutions: [],
    recommenders: [...(recommenders.get(datasetGroupArn) ?? [])],
    filters: [...(filters.get(datasetGroupArn) ?? [])],
    eventTrackers: eventTrackers.flatMap((t) => (t.name ? [qualifiedName(group.name, t.name)] : [])),
    metricAttributions: [],
    datasets,
  };
  for await (const page of paginateListSolutions({ client, pageSize }, { datasetGroupArn })) {
    for (const s of page.solutions ?? []) {
      if (!s.solutionArn || !s.name) continue;
      contents.solutions.push(s.name);
      // Campaigns name their solution version, not their group: found through each solution.
      const campaigns = await planningCampaignsOf(client, s.solutionArn);
      contents.campaigns.push(...campaigns.map((c) => c.name));
    }
  }
  for await (const page of paginateListMetricAttributions({ client, pageSize }, { datasetGroupArn })) {
    for (const m of page.metricAttributions ?? []) if (m.name) contents.metricAttributions.push(m.name);
  }
  return contents;
}

/** The group's contents as companions deleted before it; types with nothing inside are left out. */
function contentCompanions(contents: GroupContents): Companion[] {
  const before = (type: ResourceTypeName, names: string[], reason: string): Companion[] =>
    names.length > 0 ? [{ type, names, order: "before", reason }] : [];
  return [
    ...before("personalize.campaign", contents.campaigns, "the campaigns of its solutions"),
    ...before("personalize.solution", contents.solutions, "its solutions (their versions go with them)"),
    ...before("personalize.recommender", contents.recommenders, "its recommenders"),
    ...before("personalize.filter", contents.filters, "its filters"),
    ...before("personalize.event-tracker", contents.eventTrackers, "its event trackers"),
    ...before("personalize.metric-attribution", contents.metricAttributions, "its metric attributions"),
    ...before(
      "personalize.dataset",
      contents.datasets.map((d) => d.qualifiedName),
      "its datasets",
    ),
  ];
}

/**
 * Which schema each dataset of the region uses: the group's own datasets (as
 * just listed) first, then every other group's. Read from the run's dataset
 * index; a dataset of the group newer than the index is read on its own.
 */
async function accountSchemaUses(
  client: PersonalizeClient,
  group: GroupRef,
  datasets: readonly DatasetRef[],
): Promise<SchemaUse[]> {
  const index = await planningDatasetIndex(client);
  const own = datasets.flatMap((d) => index.byDataset.get(d.arn) ?? []);
  const unindexed = datasets.filter((d) => !index.byDataset.has(d.arn));
  const others = index.uses.filter((u) => u.dataset.group.arn !== group.arn);
  return [...own, ...(await readSchemaUses(client, unindexed)), ...others];
}

/**
 * The schemas the group's datasets use. With `deleteSchemas`, each one no
 * dataset outside the group uses becomes a companion deleted after the
 * group; the others are kept, and the notes say who uses them. Datasets
 * being deleted already do not keep a schema.
 */
async function planSchemas(
  client: PersonalizeClient,
  group: GroupRef,
  datasets: readonly DatasetRef[],
  deleteSchemas: boolean,
): Promise<{ companions: Companion[]; notes: string[] }> {
  const uses = deleteSchemas
    ? await accountSchemaUses(client, group, datasets)
    : await readSchemaUses(client, datasets);
  const ownSchemas = [...new Set(uses.filter((u) => u.dataset.group.arn === group.arn).map((u) => u.schemaArn))];
  if (ownSchemas.length === 0) return { companions: [], notes: [] };
  const names = await planningSchemaNames(client);
  const nameOf = (arn: string) => names.get(arn) ?? arn;
  if (!deleteSchemas) {
    return {
      companions: [],
      notes: [
        `keeps the schemas its datasets use (${ownSchemas.map(nameOf).join(", ")}): they cost nothing; ` +
          "option deleteSchemas deletes those no other dataset uses",
      ],
    };
  }
  const deletable: string[] = [];
  const notes: string[] = [];
  for (const schemaArn of ownSchemas) {
    const users = uses.filter(
      (u) => u.schemaArn === schemaArn && u.dataset.group.arn !== group.arn && !isDeleting(u.status),
    );
    if (users.length === 0) deletable.push(nameOf(schemaArn));
    else {
      const list = users.map((u) => `${u.dataset.qualifiedName} (${u.status})`).join(", ");
      notes.push(`keeps schema ${nameOf(schemaArn)}: also used by dataset ${list}`);
    }
  }
  const companions: Companion[] =
    deletable.length > 0
      ? [{ type: "personalize.schema", names: deletable, order: "after", reason: "schemas only its datasets use" }]
      : [];
  return { companions, notes };
}

/**
 * A dataset group: the root of a Personalize deployment. Its describe finds
 * everything inside and plans each as its own resource (companions deleted
 * before it), so the engine runs independent branches in parallel and
 * waits for each asynchronous delete: campaigns -> solutions; recommenders,
 * filters, event trackers, metric attributions; -> datasets -> the group;
 * then, with `deleteSchemas`, the schemas no one else uses.
 */
export const datasetGroup = defineResource({
  type: "personalize.dataset-group",
  description:
    "Amazon Personalize dataset group with everything inside it (campaigns, solutions, recommenders, filters, event trackers, metric attributions, datasets) and, with deleteSchemas, the schemas only it uses.",
  scope: "regional",
  dependsOn: [
    "personalize.campaign",
    "personalize.solution",
    "personalize.recommender",
    "personalize.filter",
    "personalize.event-tracker",
    "personalize.metric-attribution",
    "personalize.dataset",
  ],
  options,
  deadlineMs: 20 * 60_000,

  async *discover(ctx) {
    for await (const group of listDatasetGroups(ctx.client(PersonalizeClient))) {
      yield toFound(group.arn, group.name, group);
    }
  },

  readTags: readPersonalizeTags,

  async describe(ctx, found) {
    const client = ctx.client(PersonalizeClient);
    const group: GroupRef = { arn: found.id, name: found.name };
    // The schema check reads every group's datasets: said first, this group's come from that read too.
    if (ctx.options.deleteSchemas) await readDatasetsOfEveryGroup(client);
    const contents = await readGroupContents(client, group);
    const schemas = await planSchemas(client, group, contents.datasets, ctx.options.deleteSchemas);
    return {
      ...withStatusNote(found, schemas.notes),
      companions: [...(found.companions ?? []), ...contentCompanions(contents), ...schemas.companions],
    };
  },

  delete: (ctx, found) => startAsyncDelete(ctx, "dataset group", found),

  ...verifiedByStatus("dataset group"),
});
