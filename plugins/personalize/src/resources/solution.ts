import {
  PersonalizeClient,
  StopSolutionVersionCreationCommand,
  paginateListSolutions,
} from "@aws-sdk/client-personalize";
import { Type, classifyAwsError, defineResource, type Found } from "@cleanup-runner/plugin-kit";
import { startAsyncDelete, verifiedByStatus, type Blocker } from "../async-delete.js";
import { readPersonalizeTags, toFound, withStatusNote } from "../found.js";
import {
  blockerOf,
  describeRef,
  listCampaignsOf,
  listSolutionVersions,
  runningBatchJobs,
  type StatusRef,
} from "../lookups.js";
import { isRunning, isStoppable } from "../status.js";

const options = Type.Object({
  stopSolutionVersionCreation: Type.Boolean({
    default: true,
    description:
      "Stop solution versions still in training (StopSolutionVersionCreation) so the solution can be deleted; " +
      "the training done until the stop is billed and cannot be resumed. When false, the delete waits until " +
      "training ends, which can take hours.",
  }),
});

/** Batch jobs that still run on the versions that can have them (ACTIVE ones). */
function batchJobsOn(client: PersonalizeClient, versions: readonly StatusRef[]): Promise<StatusRef[]> {
  const active = new Set(versions.filter((v) => v.status === "ACTIVE").map((v) => v.arn));
  return active.size > 0 ? runningBatchJobs(client, active) : Promise.resolve([]);
}

/**
 * What keeps the solution from going, after AWS refused DeleteSolution:
 * versions in training (stopped here when the option allows), campaigns,
 * batch jobs. A stop is asked once per version: a version already
 * CREATE STOPPING is only waited for.
 */
async function solutionBlockers(client: PersonalizeClient, found: Found, stopTraining: boolean): Promise<Blocker[]> {
  const versions = await listSolutionVersions(client, found.id);
  const blockers: Blocker[] = [];
  for (const version of versions.filter((v) => isRunning(v.status))) {
    if (stopTraining && isStoppable(version.status)) {
      try {
        await client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: version.arn }));
      } catch (error) {
        // The training may have ended between the listing and the stop: the next attempt sees it.
        if ((error as { name?: string }).name !== "InvalidInputException") {
          throw classifyAwsError(error, `StopSolutionVersionCreation ${version.name}`);
        }
      }
      blockers.push(blockerOf(client, version, `solution version ${version.name} (stopping, was ${version.status})`));
    } else {
      blockers.push(blockerOf(client, version));
    }
  }
  const [campaigns, jobs] = await Promise.all([listCampaignsOf(client, found.id), batchJobsOn(client, versions)]);
  return [...blockers, ...[...campaigns, ...jobs].map((ref) => blockerOf(client, ref))];
}

/**
 * A solution and its solution versions (DeleteSolution takes them along).
 * AWS refuses the delete while a campaign uses it or a version is in
 * training; trainings are stopped when `stopSolutionVersionCreation` allows.
 */
export const solution = defineResource({
  type: "personalize.solution",
  description:
    "Amazon Personalize solution with its solution versions; versions in training are stopped first (option), running batch jobs waited for.",
  scope: "regional",
  dependsOn: ["personalize.campaign"],
  options,
  deletesWith: ["solution versions"],
  // Stopping a training (CREATE STOPPING) can take a long while before the delete is accepted.
  pollIntervalMs: 15_000,
  deadlineMs: 60 * 60_000,

  async *discover(ctx) {
    const client = ctx.client(PersonalizeClient);
    // Without a datasetGroupArn, ListSolutions lists every solution of the account in the region.
    for await (const page of paginateListSolutions({ client }, {})) {
      for (const s of page.solutions ?? []) {
        if (s.solutionArn && s.name) yield toFound(s.solutionArn, s.name, s);
      }
    }
  },

  readTags: readPersonalizeTags,

  async describe(ctx, found) {
    const client = ctx.client(PersonalizeClient);
    const versions = await listSolutionVersions(client, found.id);
    const [campaigns, jobs] = await Promise.all([listCampaignsOf(client, found.id), batchJobsOn(client, versions)]);
    const notes: string[] = [];
    for (const version of versions.filter((v) => isRunning(v.status))) {
      notes.push(
        ctx.options.stopSolutionVersionCreation && isStoppable(version.status)
          ? `${describeRef(version)} is still training: it is stopped (StopSolutionVersionCreation) before the ` +
              "delete; training until the stop is billed"
          : `${describeRef(version)} is still training: the delete waits until it ends (no API deletes it)`,
      );
    }
    for (const job of jobs) {
      notes.push(`${describeRef(job)} still runs: no API stops or deletes it; the delete waits until it ends`);
    }
    if (campaigns.length > 0) {
      notes.push(`used by ${campaigns.map(describeRef).join(", ")}: deleted once they are gone`);
    }
    return {
      ...withStatusNote(found, notes),
      children: [{ kind: "solution versions", count: versions.length }],
    };
  },

  async delete(ctx, found) {
    const client = ctx.client(PersonalizeClient);
    await startAsyncDelete(ctx, "solution", found, () =>
      solutionBlockers(client, found, ctx.options.stopSolutionVersionCreation),
    );
  },

  ...verifiedByStatus("solution"),
});
