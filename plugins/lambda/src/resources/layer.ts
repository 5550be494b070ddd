import {
  DeleteLayerVersionCommand,
  LambdaClient,
  ListLayerVersionsCommand,
  paginateListLayerVersions,
  paginateListLayers,
  type LayersListItem,
} from "@aws-sdk/client-lambda";
import {
  FatalError,
  NotFoundError,
  removeUnlessGone,
  defineResource,
  perClient,
  readOrUndefined,
  type Found,
} from "@cleanup-runner/plugin-kit";
import { controlPlaneBudget } from "../control-plane.js";
import { isoDate } from "../iso-date.js";

/**
 * `lambda.layer`: a Lambda layer, selected by layer name; deleting it deletes
 * the versions the plan listed (all of them, unless one was published since).
 */
export const layer = defineResource({
  type: "lambda.layer",
  description:
    "An AWS Lambda layer, selected by its name; deleting it deletes every version the plan listed (DeleteLayerVersion, one at a " +
    "time); a version published after the plan stays, and the layer is then reported as failed, naming that version. `olderThan` compares the creation date of its latest version. Layers cannot be tagged, so a `tags` " +
    "selector never matches one. Functions that use a deleted version keep working: Lambda keeps a copy until no " +
    "function refers to it, but no function can add it any more.",
  scope: "regional",
  deletesWith: ["every layer version the plan listed (one published after the plan stays)"],
  rateBudgets: [controlPlaneBudget],

  async *discover(ctx) {
    const client = ctx.client(LambdaClient);
    // ListLayers has no name filter: hints cannot be pushed down.
    for await (const page of paginateListLayers({ client, pageSize: 50 }, {})) {
      for (const item of page.Layers ?? []) {
        const found = toFound(item);
        if (found) yield found;
      }
    }
  },

  async describe(ctx, found) {
    const versions = await layerVersions(ctx.client(LambdaClient), found.name);
    return {
      ...found,
      // Recorded for delete, which removes these versions: the plan's, nothing newer.
      details: { ...found.details, versions },
      children: [{ kind: "layer versions", count: versions.length, note: versionsNote(versions) }],
    };
  },

  async delete(ctx, found) {
    const client = ctx.client(LambdaClient);
    // The versions the plan listed a moment before (or froze in a plan file); a plan without them is
    // an older plan file: list them. A version published after the plan stays, and verify says so.
    const versions = plannedVersions(found) ?? (await layerVersions(client, found.name));
    if (versions.length === 0) throw new NotFoundError(`layer ${found.name} has no versions left`);
    // A retry after a partial attempt (throttled midway) goes on where it stopped.
    const deleted = deletedVersionsWith(client);
    for (const [done, version] of versions.entries()) {
      const key = `${found.name}:${version}`;
      if (!deleted.has(key)) {
        // Another run deleted it meanwhile: the goal holds, go on with the rest.
        await removeUnlessGone(`DeleteLayerVersion ${key}`, () =>
          client.send(new DeleteLayerVersionCommand({ LayerName: found.name, VersionNumber: version })),
        );
        deleted.add(key);
      }
      if (versions.length > 1) ctx.progress(`deleted ${done + 1} of ${versions.length} versions`);
    }
  },

  async verify(ctx, found) {
    const client = ctx.client(LambdaClient);
    // A layer exists as long as one version is listed; one item, the newest, answers that.
    const page = await readOrUndefined(() =>
      client.send(new ListLayerVersionsCommand({ LayerName: found.name, MaxItems: 1 })),
    );
    const newest = page?.LayerVersions?.[0];
    if (!newest) return "gone";
    // A version the plan did not list stays whatever the wait: say so now rather than at the deadline.
    const planned = plannedVersions(found);
    if (planned && newest.Version !== undefined && !planned.includes(newest.Version)) {
      throw new FatalError(
        `layer ${found.name}: version ${newest.Version} was published after the plan and is kept (apply deletes only ` +
          "the versions the plan listed): plan again to delete it",
      );
    }
    return "present";
  },
});

function toFound(item: LayersListItem): Found | undefined {
  if (!item.LayerName) return undefined;
  const latest = item.LatestMatchingVersion;
  const createdAt = isoDate(latest?.CreatedDate);
  return {
    id: item.LayerName,
    name: item.LayerName,
    ...(item.LayerArn ? { arn: item.LayerArn } : {}),
    ...(createdAt ? { createdAt } : {}),
    // Lambda does not support tags on layers.
    tags: {},
    ...(latest?.Version !== undefined ? { details: { latestVersion: latest.Version } } : {}),
  };
}

/** The layer versions (`name:version`) this run deleted, per client (a run and region). */
const deletedVersionsWith = perClient<LambdaClient, Set<string>>(() => new Set());

/** The version numbers describe recorded; undefined when the plan has none (or they are malformed). */
function plannedVersions(found: Found): number[] | undefined {
  const versions = found.details?.versions;
  return Array.isArray(versions) && versions.every((v) => Number.isInteger(v)) ? (versions as number[]) : undefined;
}

/** `versions 3, 2, 1`, or `versions 1 to 40` when there are many. */
function versionsNote(versions: readonly number[]): string {
  if (versions.length <= 5) return `versions ${versions.join(", ")}`;
  return `versions ${Math.min(...versions)} to ${Math.max(...versions)}`;
}

/**
 * Every version number of a layer (50 per page); none when the layer is
 * unknown. Throws classified errors.
 */
async function layerVersions(client: LambdaClient, layerName: string): Promise<number[]> {
  const versions = await readOrUndefined(async () => {
    const listed: number[] = [];
    for await (const page of paginateListLayerVersions({ client, pageSize: 50 }, { LayerName: layerName })) {
      for (const v of page.LayerVersions ?? []) if (v.Version !== undefined) listed.push(v.Version);
    }
    return listed;
  }, `ListLayerVersions ${layerName}`);
  return versions ?? [];
}
