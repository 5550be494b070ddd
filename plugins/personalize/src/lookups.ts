/**
 * Reads of what keeps a Personalize resource from being deleted: solution
 * versions in training, jobs that still run (none has a delete API), the
 * campaigns of a solution, the datasets that use a schema.
 */
import {
  DescribeDatasetCommand,
  paginateListBatchInferenceJobs,
  paginateListBatchSegmentJobs,
  paginateListCampaigns,
  paginateListDatasetExportJobs,
  paginateListDatasetImportJobs,
  paginateListSchemas,
  paginateListSolutionVersions,
  type PersonalizeClient,
} from "@aws-sdk/client-personalize";
import { readOrUndefined } from "@cleanup-runner/plugin-kit";
import type { Blocker } from "./async-delete.js";
import type { DatasetRef } from "./dataset-groups.js";
import { isRunning } from "./status.js";
import { readStatus, type StatusKind } from "./statuses.js";

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
 * Whether it still keeps a delete waiting, from one Describe* call: a job or
 * a training until it ends, a campaign or an event tracker until it is gone.
 */
async function stillBlocks(client: PersonalizeClient, ref: StatusRef): Promise<boolean> {
  const status = await readStatus(client, ref.kind, ref.arn);
  if (status === undefined) return false;
  return ref.kind === "campaign" || ref.kind === "event tracker" || isRunning(status);
}

/** A blocker for startAsyncDelete, said as `describeRef` says it unless `what` is given. */
export function blockerOf(client: PersonalizeClient, ref: StatusRef, what = describeRef(ref)): Blocker {
  return { what, stillBlocks: () => stillBlocks(client, ref) };
}

/** A solution version's id: the last part of its ARN (its summary has no name). */
function versionId(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

/** Every solution version of a solution. */
export async function listSolutionVersions(client: PersonalizeClient, solutionArn: string): Promise<StatusRef[]> {
  const versions: StatusRef[] = [];
  for await (const page of paginateListSolutionVersions({ client }, { solutionArn })) {
    for (const v of page.solutionVersions ?? []) {
      if (v.solutionVersionArn) {
        versions.push({
          arn: v.solutionVersionArn,
          kind: "solution version",
          name: versionId(v.solutionVersionArn),
          status: v.status,
        });
      }
    }
  }
  return versions;
}

/** The campaigns that deploy a version of the solution (they must go first). */
export async function listCampaignsOf(client: PersonalizeClient, solutionArn: string): Promise<StatusRef[]> {
  const campaigns: StatusRef[] = [];
  for await (const page of paginateListCampaigns({ client }, { solutionArn })) {
    for (const c of page.campaigns ?? []) {
      if (c.campaignArn && c.name)
        campaigns.push({ arn: c.campaignArn, kind: "campaign", name: c.name, status: c.status });
    }
  }
  return campaigns;
}

/**
 * Batch inference and batch segment jobs still running on these solution
 * versions. Listed account-wide (two listings) rather than per version:
 * the summaries carry their solution version.
 */
export async function runningBatchJobs(
  client: PersonalizeClient,
  versionArns: ReadonlySet<string>,
): Promise<StatusRef[]> {
  const jobs: StatusRef[] = [];
  for await (const page of paginateListBatchInferenceJobs({ client }, {})) {
    for (const j of page.batchInferenceJobs ?? []) {
      if (j.batchInferenceJobArn && versionArns.has(j.solutionVersionArn ?? "") && isRunning(j.status)) {
        jobs.push({
          arn: j.batchInferenceJobArn,
          kind: "batch inference job",
          name: j.jobName ?? "",
          status: j.status,
        });
      }
    }
  }
  for await (const page of paginateListBatchSegmentJobs({ client }, {})) {
    for (const j of page.batchSegmentJobs ?? []) {
      if (j.batchSegmentJobArn && versionArns.has(j.solutionVersionArn ?? "") && isRunning(j.status)) {
        jobs.push({ arn: j.batchSegmentJobArn, kind: "batch segment job", name: j.jobName ?? "", status: j.status });
      }
    }
  }
  return jobs;
}

/** Import and export jobs of a dataset: all of them, with those still running marked by their status. */
export async function listDatasetJobs(client: PersonalizeClient, datasetArn: string): Promise<StatusRef[]> {
  const jobs: StatusRef[] = [];
  for await (const page of paginateListDatasetImportJobs({ client }, { datasetArn })) {
    for (const j of page.datasetImportJobs ?? []) {
      if (j.datasetImportJobArn) {
        jobs.push({ arn: j.datasetImportJobArn, kind: "import job", name: j.jobName ?? "", status: j.status });
      }
    }
  }
  for await (const page of paginateListDatasetExportJobs({ client }, { datasetArn })) {
    for (const j of page.datasetExportJobs ?? []) {
      if (j.datasetExportJobArn) {
        jobs.push({ arn: j.datasetExportJobArn, kind: "export job", name: j.jobName ?? "", status: j.status });
      }
    }
  }
  return jobs;
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

/** Schema names by ARN, from one listing of every schema. */
export async function schemaNames(client: PersonalizeClient): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for await (const page of paginateListSchemas({ client }, {})) {
    for (const s of page.schemas ?? []) if (s.schemaArn && s.name) names.set(s.schemaArn, s.name);
  }
  return names;
}
