/**
 * Reads of what keeps a Personalize resource from being deleted: solution
 * versions in training, jobs that still run (none has a delete API), the
 * campaigns of a solution, a group's event trackers, the datasets that use a
 * schema.
 */
import {
  DescribeDatasetCommand,
  paginateListBatchInferenceJobs,
  paginateListBatchSegmentJobs,
  paginateListCampaigns,
  paginateListDatasetExportJobs,
  paginateListDatasetImportJobs,
  paginateListEventTrackers,
  paginateListSchemas,
  paginateListSolutionVersions,
  type DatasetSchemaSummary,
  type EventTrackerSummary,
  type PersonalizeClient,
} from "@aws-sdk/client-personalize";
import { readOrUndefined, type ResourceContext } from "@cleanup-runner/plugin-kit";
import type { Blocker } from "./async-delete.js";
import { listedStatus, stillBlocksIn } from "./blocker-listings.js";
import type { DatasetRef } from "./dataset-groups.js";
import { isRunning } from "./status.js";
import type { StatusKind } from "./statuses.js";
import { pageSize } from "./page-size.js";

/** What can keep a Personalize resource from being deleted. */
export type BlockerKind = Extract<
  StatusKind,
  | "solution version"
  | "campaign"
  | "batch inference job"
  | "batch segment job"
  | "import job"
  | "export job"
  | "event tracker"
>;

/** Something with a status that matters to a delete, said the way a person reads it. */
export interface StatusRef {
  readonly arn: string;
  /** What it is: `import job`, `solution version`. */
  readonly kind: BlockerKind;
  /** Its name (a solution version's id). */
  readonly name: string;
  readonly status: string | undefined;
}

/** `import job items-import (CREATE IN_PROGRESS)`. */
export function describeRef(ref: StatusRef): string {
  return `${ref.kind} ${ref.name} (${ref.status ?? "status unknown"})`;
}

/**
 * A blocker for startAsyncDelete, said as `describeRef` says it unless `what`
 * is given. Each check reads its status from a recent region-wide listing of
 * its kind (see blocker-listings.ts), shared with every other wait; `seenAt`
 * is when it was seen (default: now).
 */
export function blockerOf(
  ctx: Pick<ResourceContext, "client" | "now">,
  ref: StatusRef,
  what = describeRef(ref),
  seenAt = ctx.now(),
): Blocker {
  return { what, stillBlocks: async () => stillBlocksIn(ref.kind, await listedStatus(ctx, ref, seenAt)) };
}

/** What keeps a resource from being deleted, as describe saw it: kept in `Found.details`. */
export interface PlannedBlockers {
  /** Those that still ran (or existed) when the plan was made. */
  readonly refs: readonly StatusRef[];
  /** When they were seen, on the engine's clock. */
  readonly seenAt: number;
}

/** `details` fields for the plan: the blockers describe saw running, and when. */
export function plannedBlockersDetails(refs: readonly StatusRef[], seenAt: number): Record<string, unknown> {
  return {
    blockers: refs.map(({ arn, kind, name, status }) => ({ arn, kind, name, ...(status ? { status } : {}) })),
    blockersSeenAt: seenAt,
  };
}

/**
 * The blockers the plan recorded, read defensively: a plan file may come
 * from a version that recorded none, or be edited; when one is malformed or
 * of a kind not in `kinds` (those the type's describe records), `undefined`,
 * and the delete learns of its blockers only when AWS refuses it.
 */
export function plannedBlockers(
  details: Record<string, unknown> | undefined,
  kinds: ReadonlySet<BlockerKind>,
): PlannedBlockers | undefined {
  const { blockers, blockersSeenAt } = details ?? {};
  if (!Array.isArray(blockers) || typeof blockersSeenAt !== "number") return undefined;
  const refs: StatusRef[] = [];
  for (const b of blockers as unknown[]) {
    const { arn, kind, name, status } = (b ?? {}) as Record<string, unknown>;
    if (
      typeof arn !== "string" ||
      typeof kind !== "string" ||
      !kinds.has(kind as BlockerKind) ||
      typeof name !== "string"
    ) {
      return undefined;
    }
    refs.push({ arn, kind: kind as BlockerKind, name, status: typeof status === "string" ? status : undefined });
  }
  return { refs, seenAt: blockersSeenAt };
}

/** A solution version's id: the last part of its ARN (its summary has no name). */
function versionId(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

/**
 * The solution a version belongs to, from the version's ARN
 * (`...:solution/<solution name>/<version id>`, the solution's being
 * `...:solution/<solution name>`): the summaries do not name it.
 */
export function solutionOfVersion(versionArn: string): string {
  return versionArn.slice(0, versionArn.lastIndexOf("/"));
}

function versionRef(arn: string, status: string | undefined): StatusRef {
  return { arn, kind: "solution version", name: versionId(arn), status };
}

/** Every solution version of a solution. */
export async function listSolutionVersions(client: PersonalizeClient, solutionArn: string): Promise<StatusRef[]> {
  const versions: StatusRef[] = [];
  for await (const page of paginateListSolutionVersions({ client, pageSize }, { solutionArn })) {
    for (const v of page.solutionVersions ?? []) {
      if (v.solutionVersionArn) versions.push(versionRef(v.solutionVersionArn, v.status));
    }
  }
  return versions;
}

/**
 * Every solution version of the region by solution ARN: without a
 * solutionArn, ListSolutionVersions lists every one of the region.
 */
export async function listAllSolutionVersions(client: PersonalizeClient): Promise<Map<string, StatusRef[]>> {
  const bySolution = new Map<string, StatusRef[]>();
  for await (const page of paginateListSolutionVersions({ client, pageSize }, {})) {
    for (const v of page.solutionVersions ?? []) {
      if (!v.solutionVersionArn) continue;
      const solutionArn = solutionOfVersion(v.solutionVersionArn);
      const versions = bySolution.get(solutionArn) ?? [];
      bySolution.set(solutionArn, versions);
      versions.push(versionRef(v.solutionVersionArn, v.status));
    }
  }
  return bySolution;
}

/** The campaigns that deploy a version of the solution (they must go first). */
export async function listCampaignsOf(client: PersonalizeClient, solutionArn: string): Promise<StatusRef[]> {
  const campaigns: StatusRef[] = [];
  for await (const page of paginateListCampaigns({ client, pageSize }, { solutionArn })) {
    for (const c of page.campaigns ?? []) {
      if (c.campaignArn && c.name)
        campaigns.push({ arn: c.campaignArn, kind: "campaign", name: c.name, status: c.status });
    }
  }
  return campaigns;
}

/** The event trackers of one group (their summaries do not name their group: listed group by group). */
export async function listEventTrackersOf(
  client: PersonalizeClient,
  datasetGroupArn: string,
): Promise<EventTrackerSummary[]> {
  const trackers: EventTrackerSummary[] = [];
  for await (const page of paginateListEventTrackers({ client, pageSize }, { datasetGroupArn })) {
    trackers.push(...(page.eventTrackers ?? []));
  }
  return trackers;
}

/** The fields every List*Jobs summary has. */
interface JobSummary {
  readonly jobName?: string | undefined;
  readonly status?: string | undefined;
}

/**
 * Every job of one kind in a listing's pages (`summariesOf` and `arnOf` read
 * them: each List*Jobs names them its own way), each with its summary for
 * what else a caller needs of it.
 */
async function listJobs<Page, Job extends JobSummary>(
  kind: BlockerKind,
  pages: AsyncIterable<Page>,
  summariesOf: (page: Page) => Job[] | undefined,
  arnOf: (job: Job) => string | undefined,
): Promise<{ ref: StatusRef; summary: Job }[]> {
  const jobs: { ref: StatusRef; summary: Job }[] = [];
  for await (const page of pages) {
    for (const summary of summariesOf(page) ?? []) {
      const arn = arnOf(summary);
      if (arn) jobs.push({ ref: { arn, kind, name: summary.jobName ?? "", status: summary.status }, summary });
    }
  }
  return jobs;
}

/** A batch job with the solution version it runs on. */
export interface BatchJobRef extends StatusRef {
  readonly solutionVersionArn: string | undefined;
}

/**
 * Every batch inference and batch segment job of the region (two listings:
 * without a solutionVersionArn each lists the whole region; the summaries
 * carry their solution version).
 */
export async function listBatchJobs(client: PersonalizeClient): Promise<BatchJobRef[]> {
  const inference = await listJobs(
    "batch inference job",
    paginateListBatchInferenceJobs({ client, pageSize }, {}),
    (p) => p.batchInferenceJobs,
    (j) => j.batchInferenceJobArn,
  );
  const segment = await listJobs(
    "batch segment job",
    paginateListBatchSegmentJobs({ client, pageSize }, {}),
    (p) => p.batchSegmentJobs,
    (j) => j.batchSegmentJobArn,
  );
  return [...inference, ...segment].map(({ ref, summary }) => ({
    ...ref,
    solutionVersionArn: summary.solutionVersionArn,
  }));
}

/** The jobs still running on these solution versions. */
export function runningOn(jobs: readonly BatchJobRef[], versionArns: ReadonlySet<string>): StatusRef[] {
  return jobs
    .filter((j) => versionArns.has(j.solutionVersionArn ?? "") && isRunning(j.status))
    .map(({ arn, kind, name, status }) => ({ arn, kind, name, status }));
}

/** Import and export jobs of a dataset: all of them, with those still running marked by their status. */
export async function listDatasetJobs(client: PersonalizeClient, datasetArn: string): Promise<StatusRef[]> {
  return [
    ...(await listDatasetJobsOf(client, "import job", datasetArn)),
    ...(await listDatasetJobsOf(client, "export job", datasetArn)),
  ];
}

/**
 * The import or the export jobs of one dataset, or of the whole region
 * without `datasetArn` (their summaries then do not name their dataset).
 */
export async function listDatasetJobsOf(
  client: PersonalizeClient,
  kind: "import job" | "export job",
  datasetArn?: string,
): Promise<StatusRef[]> {
  const input = datasetArn === undefined ? {} : { datasetArn };
  const jobs =
    kind === "import job"
      ? await listJobs(
          kind,
          paginateListDatasetImportJobs({ client, pageSize }, input),
          (p) => p.datasetImportJobs,
          (j) => j.datasetImportJobArn,
        )
      : await listJobs(
          kind,
          paginateListDatasetExportJobs({ client, pageSize }, input),
          (p) => p.datasetExportJobs,
          (j) => j.datasetExportJobArn,
        );
  return jobs.map((j) => j.ref);
}

/** A dataset and the schema it uses. */
export interface SchemaUse {
  readonly dataset: DatasetRef;
  readonly schemaArn: string;
  /** The dataset's status when read. */
  readonly status: string | undefined;
}

/**
 * Which schema each dataset uses: ListDatasets gives no schema, so one
 * DescribeDataset per dataset (sequential: it keeps clear of the API's rate;
 * the whole region's are read once per run, see dataset-index.ts). Datasets
 * gone meanwhile are skipped.
 */
export async function readSchemaUses(client: PersonalizeClient, datasets: readonly DatasetRef[]): Promise<SchemaUse[]> {
  const uses: SchemaUse[] = [];
  for (const dataset of datasets) {
    const described = await readOrUndefined(() => client.send(new DescribeDatasetCommand({ datasetArn: dataset.arn })));
    const schemaArn = described?.dataset?.schemaArn;
    if (schemaArn) uses.push({ dataset, schemaArn, status: described.dataset?.status });
  }
  return uses;
}

/** Every schema of the region, from one listing (every page). */
export async function listSchemas(client: PersonalizeClient): Promise<DatasetSchemaSummary[]> {
  const schemas: DatasetSchemaSummary[] = [];
  for await (const page of paginateListSchemas({ client }, {})) schemas.push(...(page.schemas ?? []));
  return schemas;
}
