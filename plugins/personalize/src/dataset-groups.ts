import {
  paginateListDatasetGroups,
  paginateListDatasets,
  type DatasetGroupSummary,
  type DatasetSummary,
  type PersonalizeClient,
} from "@aws-sdk/client-personalize";
import { oncePerClient, type DiscoveryHints } from "@cleanup-runner/plugin-kit";
import { pageSize } from "./page-size.js";

/**
 * `<dataset group>/<name>`: the name the plugin gives datasets and event
 * trackers. Their ARNs carry no name of their own (`dataset/<group>/<TYPE>`,
 * `event-tracker/<id>`), so nothing says their names are unique in the
 * account; qualified by their group, selecting one by exact name can never
 * reach another group's.
 */
export function qualifiedName(groupName: string, name: string): string {
  return `${groupName}/${name}`;
}

/** A dataset group as the List API gives it. */
export interface GroupRef {
  readonly arn: string;
  readonly name: string;
}

/**
 * Whether members of this group can have a qualified name the hints select.
 * Only narrows which groups are listed (fewer calls); the engine still
 * applies the whole selector to what discover yields.
 */
function groupMayMatch(group: GroupRef, hints: DiscoveryHints): boolean {
  const scope = qualifiedName(group.name, "");
  if (hints.names && !hints.names.some((name) => name.startsWith(scope))) return false;
  if (hints.prefix !== undefined && !scope.startsWith(hints.prefix) && !hints.prefix.startsWith(scope)) return false;
  return true;
}

/** Every dataset group of the region (every page), read once per run and region: for planning only. */
export const planningDatasetGroups = oncePerClient(async (client: PersonalizeClient) => {
  const groups: (GroupRef & DatasetGroupSummary)[] = [];
  for await (const page of paginateListDatasetGroups({ client, pageSize }, {})) {
    for (const group of page.datasetGroups ?? []) {
      if (group.datasetGroupArn && group.name) groups.push({ ...group, arn: group.datasetGroupArn, name: group.name });
    }
  }
  return groups;
});

/**
 * Every dataset group of the region, or those whose members the hints can
 * select, from the run's one listing (planningDatasetGroups): for discover.
 */
export async function* listDatasetGroups(
  client: PersonalizeClient,
  hints: DiscoveryHints = {},
): AsyncGenerator<GroupRef & DatasetGroupSummary> {
  for (const group of await planningDatasetGroups(client)) if (groupMayMatch(group, hints)) yield group;
}

/** A dataset with its group, named as the plugin names it. */
export interface DatasetRef {
  readonly arn: string;
  readonly qualifiedName: string;
  readonly group: GroupRef;
  readonly summary: DatasetSummary;
}

/** A listed dataset of `group`, named as the plugin names it (by either listing). */
function datasetRef(group: GroupRef, arn: string, name: string, summary: DatasetSummary): DatasetRef {
  return { arn, qualifiedName: qualifiedName(group.name, name), group, summary };
}

/** The datasets of one group, every page. */
export async function listDatasetsOf(client: PersonalizeClient, group: GroupRef): Promise<DatasetRef[]> {
  const datasets: DatasetRef[] = [];
  for await (const page of paginateListDatasets({ client, pageSize }, { datasetGroupArn: group.arn })) {
    for (const summary of page.datasets ?? []) {
      if (summary.datasetArn && summary.name) {
        datasets.push(datasetRef(group, summary.datasetArn, summary.name, summary));
      }
    }
  }
  return datasets;
}

/** `arn:...:dataset/<group name>/<TYPE>` -> `arn:...:dataset-group/<group name>`, or undefined. */
function groupArnOfDataset(datasetArn: string): string | undefined {
  const match = /^(arn:[^:]+:personalize:[^:]*:[^:]*):dataset\/([^/]+)\/[^/]+$/.exec(datasetArn);
  return match ? `${match[1]}:dataset-group/${match[2]}` : undefined;
}

/**
 * Every dataset of the region by its group's ARN, from one listing without
 * a group (every page), filed under the group its ARN names. A dataset of
 * a group not in `groups` (made after they were listed) is left out, as a
 * listing group by group would. `undefined` when an ARN does not read
 * `dataset/<group>/<TYPE>`: then the caller lists group by group.
 */
export async function listRegionDatasets(
  client: PersonalizeClient,
  groups: readonly GroupRef[],
): Promise<Map<string, DatasetRef[]> | undefined> {
  const groupByArn = new Map(groups.map((g) => [g.arn, g]));
  const byGroup = new Map<string, DatasetRef[]>();
  for await (const page of paginateListDatasets({ client, pageSize }, {})) {
    for (const summary of page.datasets ?? []) {
      if (!summary.datasetArn || !summary.name) continue;
      const groupArn = groupArnOfDataset(summary.datasetArn);
      if (groupArn === undefined) return undefined;
      const group = groupByArn.get(groupArn);
      if (!group) continue;
      const datasets = byGroup.get(groupArn) ?? [];
      byGroup.set(groupArn, datasets);
      datasets.push(datasetRef(group, summary.datasetArn, summary.name, summary));
    }
  }
  return byGroup;
}
