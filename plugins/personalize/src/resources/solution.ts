import {
  PersonalizeClient,
  StopSolutionVersionCreationCommand,
  paginateListSolutions,
} from "@aws-sdk/client-personalize";
import {
  Type,
  classifyAwsError,
  defineResource,
  perClient,
  type Found,
  type ResourceContext,
  type Static,
} from "@cleanup-runner/plugin-kit";
import { startAsyncDelete, verifiedByStatus, waitingFor, type Blocker } from "../async-delete.js";
import { stillBlocking } from "../blocker-listings.js";
import { readPersonalizeTags, toFound, withStatusNote } from "../found.js";
import {
  blockerOf,
  describeRef,
  listBatchJobs,
  listCampaignsOf,
  listSolutionVersions,
  plannedBlockers,
  plannedBlockersDetails,
  runningOn,
  solutionOfVersion,
  type BatchJobRef,
  type BlockerKind,
  type StatusRef,
} from "../lookups.js";
import { planningBatchJobs, planningCampaignsOf, planningVersionsOf } from "../planning-reads.js";
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

type SolutionOptions = Static<typeof options>;

/** The running batch jobs among `jobs` on the versions that can have them (ACTIVE ones). */
function batchJobsOn(jobs: readonly BatchJobRef[], versions: readonly StatusRef[]): StatusRef[] {
  return runningOn(jobs, new Set(versions.filter((v) => v.status === "ACTIVE").map((v) => v.arn)));
}

/** The versions this run asked to stop, per client (a run and region). */
const stopsAskedWith = perClient<PersonalizeClient, Set<string>>(() => new Set());

/**
 * Blockers of the versions still training: each one stopped first when
 * `stopTraining` allows and its status does (a version already CREATE
 * STOPPING is only waited for); `seenAt` is when their status was read.
 */
async function trainingBlockers(
  ctx: Pick<ResourceContext, "client" | "now">,
  versions: readonly StatusRef[],
  stopTraining: boolean,
  seenAt: number,
): Promise<Blocker[]> {
  const client = ctx.client(PersonalizeClient);
  const asked = stopsAskedWith(client);
  const blockers: Blocker[] = [];
  for (const version of versions.filter((v) => isRunning(v.status))) {
    if (stopTraining && isStoppable(version.status)) {
      try {
        // Asked once: a listing begun before the stop still says CREATE IN_PROGRESS for a while.
        if (!asked.has(version.arn)) {
          await client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: version.arn }));
          asked.add(version.arn);
        }
      } catch (error) {
        // The training may have ended between the read and the stop: the next check sees it.
        if ((error as { name?: string }).name !== "InvalidInputException") {
          throw classifyAwsError(error, `StopSolutionVersionCreation ${version.name}`);
        }
      }
      const what = `solution version ${version.name} (stopping, was ${version.status})`;
      blockers.push(blockerOf(ctx, version, what, seenAt));
    } else {
      blockers.push(blockerOf(ctx, version, describeRef(version), seenAt));
    }
  }
  return blockers;
}

/**
 * What keeps the solution from going, after AWS refused DeleteSolution:
 * versions in training (stopped here when the option allows), campaigns,
 * batch jobs, all read fresh.
 */
async function solutionBlockers(ctx: ResourceContext<SolutionOptions>, found: Found): Promise<Blocker[]> {
  const client = ctx.client(PersonalizeClient);
  const versions = await listSolutionVersions(client, found.id);
  const blockers = await trainingBlockers(ctx, versions, ctx.options.stopSolutionVersionCreation, ctx.now());
  const hasActive = versions.some((v) => v.status === "ACTIVE");
  const [campaigns, jobs] = await Promise.all([
    listCampaignsOf(client, found.id),
    hasActive ? listBatchJobs(client).then((all) => batchJobsOn(all, versions)) : [],
  ]);
  return [...blockers, ...[...campaigns, ...jobs].map((ref) => blockerOf(ctx, ref))];
}

/** The kinds of blocker the describe records. */
const recordedKinds: ReadonlySet<BlockerKind> = new Set<BlockerKind>([
  "solution version",
  "batch inference job",
  "batch segment job",
]);

/**
 * Before DeleteSolution, which AWS would refuse: the trainings and batch
 * jobs the plan saw running, with their status now (from a recent
 * region-wide listing of each kind); trainings still stoppable are stopped
 * when the option allows. Throws, to wait, while any of them still runs.
 * A plan naming a version of another solution (an edited plan file) is not
 * acted on: stopping that training is no part of this delete, and
 * DeleteSolution's refusal reads the solution's own versions fresh.
 */
async function waitForPlannedBlockers(ctx: ResourceContext<SolutionOptions>, found: Found): Promise<void> {
  const planned = plannedBlockers(found.details, recordedKinds);
  if (!planned || planned.refs.length === 0) return;
  if (planned.refs.some((r) => r.kind === "solution version" && solutionOfVersion(r.arn) !== found.id)) return;
  const running = await stillBlocking(ctx, planned);
  if (running.length === 0) return;
  const versions = running.filter((r) => r.kind === "solution version");
  const blockers = [
    ...(await trainingBlockers(ctx, versions, ctx.options.stopSolutionVersionCreation, planned.seenAt)),
    ...running
      .filter((r) => r.kind !== "solution version")
      .map((r) => blockerOf(ctx, r, describeRef(r), planned.seenAt)),
  ];
  throw waitingFor(ctx, `DeleteSolution ${found.name}`, blockers);
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
    const seenAt = ctx.now();
    const [versions, campaigns, allJobs] = await Promise.all([
      planningVersionsOf(client, found.id),
      planningCampaignsOf(client, found.id),
      planningBatchJobs(client),
    ]);
    const training = versions.filter((v) => isRunning(v.status));
    const jobs = batchJobsOn(allJobs, versions);
    const notes: string[] = [];
    for (const version of training) {
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
    const described = withStatusNote(found, notes);
    return {
      ...described,
      // The delete waits for these before asking AWS, which would refuse it while they run.
      details: { ...described.details, ...plannedBlockersDetails([...training, ...jobs], seenAt) },
      children: [{ kind: "solution versions", count: versions.length }],
    };
  },

  async delete(ctx, found) {
    await waitForPlannedBlockers(ctx, found);
    await startAsyncDelete(ctx, "solution", found, () => solutionBlockers(ctx, found));
  },

  ...verifiedByStatus("solution"),
});
