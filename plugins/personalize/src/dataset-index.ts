/**
 * What planning reads once per run about the whole region: which schema each
 * dataset uses, and the schemas. Every dataset group describe (with
 * `deleteSchemas`) and every schema describe needs the account's datasets;
 * read per describe, that is one DescribeDataset per dataset of the account
 * per resource planned, growing with the square of the account. The engine
 * hands every describe of a run and region the same cached client
 * (`ctx.client`), so the reads are kept per client: one per run and region.
 * Only describe uses them; delete and verify read fresh.
 */
import type { PersonalizeClient } from "@aws-sdk/client-personalize";
import { oncePerClient } from "@cleanup-runner/plugin-kit";
import { planningDatasetGroups, type DatasetRef } from "./dataset-groups.js";
import { listSchemas, readSchemaUses, type SchemaUse } from "./lookups.js";
import { planningDatasetsOf, readDatasetsOfGroups } from "./planning-reads.js";

/** Every dataset of the region with the schema it uses, as planning first read it. */
export interface DatasetIndex {
  /** In listing order (group by group). */
  readonly uses: readonly SchemaUse[];
  /** The same, by dataset ARN. */
  readonly byDataset: ReadonlyMap<string, SchemaUse>;
}

/**
 * The region's datasets and their schemas for planning: ListDatasetGroups,
 * ListDatasets (for the region, or per group where that is fewer calls) and
 * DescribeDataset per dataset, once per run and region (the group and
 * dataset listings are those discover made). Not for
 * delete or verify, which must see the account as it is.
 */
export const planningDatasetIndex = oncePerClient(async (client: PersonalizeClient): Promise<DatasetIndex> => {
  const datasets: DatasetRef[] = [];
  await readDatasetsOfEveryGroup(client);
  for (const group of await planningDatasetGroups(client)) datasets.push(...(await planningDatasetsOf(client, group)));
  const uses = await readSchemaUses(client, datasets);
  return { uses, byDataset: new Map(uses.map((use) => [use.dataset.arn, use])) };
});

/**
 * Says that planning is about to read every group's datasets (the dataset
 * index does): said before any group's own datasets are read, they too come
 * from the region's listing where that takes fewer calls, not from one more.
 */
export async function readDatasetsOfEveryGroup(client: PersonalizeClient): Promise<void> {
  await readDatasetsOfGroups(client, (await planningDatasetGroups(client)).length);
}

/** Every schema of the region for planning, listed once per run and region: the schema discover's too. */
export const planningSchemas = oncePerClient(listSchemas);

/** Schema names by ARN for planning, from that listing. */
export async function planningSchemaNames(client: PersonalizeClient): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const s of await planningSchemas(client)) if (s.schemaArn && s.name) names.set(s.schemaArn, s.name);
  return names;
}
