import {
  paginateListDatasetGroups,
  paginateListDatasets,
  type DatasetSummary,
  type PersonalizeClient,
} from "@aws-sdk/client-personalize";
import type { DiscoveryHints } from "@cleanup-runner/plugin-kit";

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

/** Every dataset group of the region (every page), or those whose members the hints can select. */
export async function* listDatasetGroups(
  client: PersonalizeClient,
  hints: DiscoveryHints = {},
): AsyncGenerator<GroupRef & { status?: string | undefined; creationDateTime?: Date | undefined }> {
  for await (const page of paginateListDatasetGroups({ client }, {})) {
    for (const group of page.datasetGroups ?? []) {
      if (!group.datasetGroupArn || !group.name) continue;
      const ref = { ...group, arn: group.datasetGroupArn, name: group.name };
      if (groupMayMatch(ref, hints)) yield ref;
    }
  }
}

/** A dataset with its group, named as the plugin names it. */
export interface DatasetRef {
  readonly arn: string;
  readonly qualifiedName: string;
  readonly group: GroupRef;
  readonly summary: DatasetSummary;
}

/** The datasets of one group, every page. */
export async function listDatasetsOf(client: PersonalizeClient, group: GroupRef): Promise<DatasetRef[]> {
  const datasets: DatasetRef[] = [];
  for await (const page of paginateListDatasets({ client }, { datasetGroupArn: group.arn })) {
    for (const summary of page.datasets ?? []) {
      if (summary.datasetArn && summary.name) {
        datasets.push({
          arn: summary.datasetArn,
          qualifiedName: qualifiedName(group.name, summary.name),
          group,
          summary,
        });
      }
    }
  }
  return datasets;
}

/** Every dataset of the region, group by group. */
export async function listAllDatasets(client: PersonalizeClient): Promise<DatasetRef[]> {
  const datasets: DatasetRef[] = [];
  for await (const group of listDatasetGroups(client)) datasets.push(...(await listDatasetsOf(client, group)));
  return datasets;
}
