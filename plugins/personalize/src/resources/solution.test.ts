import {
  DeleteSolutionCommand,
  ListBatchInferenceJobsCommand,
  ListBatchSegmentJobsCommand,
  ListCampaignsCommand,
  ListSolutionVersionsCommand,
  ListSolutionsCommand,
  PersonalizeClient,
  StopSolutionVersionCreationCommand,
} from "@aws-sdk/client-personalize";
import type { DependencyPendingError, Static } from "@cleanup-runner/plugin-kit";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { listingMaxAgeMs } from "../blocker-listings.js";
import { ManualClock, buildWorkshopAccount, throttlingError } from "../testing/index.js";
import { campaign } from "./campaign.js";
import { solution } from "./solution.js";

const personalize = mockClient(PersonalizeClient);
const minute = 60_000;

beforeEach(() => {
  personalize.reset();
});

function solutionContext(options: Record<string, unknown> = {}) {
  return testContext<Static<NonNullable<typeof solution.options>>>({ resource: solution, options });
}

function workshop(pageSize?: number) {
  const clock = new ManualClock();
  const built = buildWorkshopAccount({ clock, ...(pageSize ? { pageSize } : {}) });
  built.account.install(personalize);
  return { clock, ...built };
}

async function discovered<T extends { discover: typeof solution.discover }>(type: T, name: string) {
  const all = await collect(type.discover(testContext(), {}));
  const found = all.find((f) => f.name === name);
  if (!found) throw new Error(`not discovered: ${name}`);
  return found;
}

/** Deletes the workshop's campaigns and lets the clock run until they are gone. */
async function removeCampaigns(clock: ManualClock, names: readonly string[]) {
  for (const name of names) await campaign.delete(testContext(), await discovered(campaign, name));
  clock.advance(5 * minute);
}

describe("personalize.solution discover", () => {
  it("lists every solution of the region across pages", async () => {
    const { arns } = workshop(2);

    const found = await collect(solution.discover(solutionContext(), {}));

    expect(found.map((f) => f.name)).toEqual([
      "student-ranking-solution",
      "student-similar-items-solution",
      "other-team-solution",
    ]);
    expect(personalize).toHaveReceivedCommandTimes(ListSolutionsCommand, 2);
    expect(found[0]).toMatchObject({ id: arns.solutions[0], arn: arns.solutions[0], details: { status: "ACTIVE" } });
  });
});

describe("personalize.solution describe", () => {
  it("counts the versions and says a training version will be stopped and campaigns go first", async () => {
    const { names } = workshop();
    const ctx = solutionContext();

    const described = await solution.describe!(ctx, await discovered(solution, names.solutions[0]));

    expect(described.children).toEqual([{ kind: "solution versions", count: 2 }]);
    expect(described.notes).toEqual([
      expect.stringMatching(
        /^solution version \w+ \(CREATE IN_PROGRESS\) is still training: it is stopped \(StopSolutionVersionCreation\)/,
      ),
      "used by campaign student-ranking-campaign (ACTIVE): deleted once they are gone",
    ]);
  });

  it("says the delete waits for the training when stopping is switched off", async () => {
    const { names } = workshop();
    const ctx = solutionContext({ stopSolutionVersionCreation: false });

    const described = await solution.describe!(ctx, await discovered(solution, names.solutions[0]));

    expect(described.notes?.[0]).toMatch(/is still training: the delete waits until it ends/);
  });

  it("lists a batch job still running on one of its versions", async () => {
    const { names } = workshop();

    const described = await solution.describe!(solutionContext(), await discovered(solution, names.solutions[1]));

    expect(described.notes).toContain(
      "batch inference job student-nightly-batch (IN PROGRESS) still runs: no API stops or deletes it; the delete waits until it ends",
    );
  });
});

describe("personalize.solution planning reads", () => {
  it("reads versions and batch jobs once for the region, and each solution's campaigns once per run", async () => {
    const { names } = workshop();
    const ctx = solutionContext();

    for (const name of names.solutions) await solution.describe!(ctx, await discovered(solution, name));
    await solution.describe!(ctx, await discovered(solution, names.solutions[0]));

    expect(personalize).toHaveReceivedCommandTimes(ListSolutionVersionsCommand, 1);
    expect(personalize).toHaveReceivedCommandWith(ListSolutionVersionsCommand, { maxResults: 100 });
    expect(personalize).toHaveReceivedCommandTimes(ListBatchInferenceJobsCommand, 1);
    expect(personalize).toHaveReceivedCommandTimes(ListBatchSegmentJobsCommand, 1);
    expect(personalize).toHaveReceivedCommandTimes(ListCampaignsCommand, 2);
  });

  it("reads a solution's campaigns again after a failed read instead of keeping the failure", async () => {
    const { account, names } = workshop();
    const ctx = solutionContext();
    const found = await discovered(solution, names.solutions[0]);
    personalize.on(ListCampaignsCommand).callsFake(() => Promise.reject(throttlingError()));

    await expect(solution.describe!(ctx, found)).rejects.toMatchObject({ name: "ThrottlingException" });
    account.install(personalize); // Personalize answers again.
    const described = await solution.describe!(ctx, found);

    expect(described.notes).toContain("used by campaign student-ranking-campaign (ACTIVE): deleted once they are gone");
  });
});

describe("personalize.solution delete", () => {
  it("stops the training version, waits for it and the campaign, then deletes solution and versions", async () => {
    const { clock, account, arns, names } = workshop();
    const found = await discovered(solution, names.solutions[0]);
    const ctx = solutionContext();
    const [, trainingVersion] = arns.solutionVersions;

    const first = await solution.delete(ctx, found).catch((e: unknown) => e);

    expect(first).toMatchObject({ kind: "dependency-pending" });
    expect((first as Error).message).toMatch(
      /^DeleteSolution student-ranking-solution: waiting for solution version \w+ \(stopping, was CREATE IN_PROGRESS\), campaign student-ranking-campaign \(ACTIVE\)$/,
    );
    expect(personalize).toHaveReceivedCommandExactlyOnceWith(StopSolutionVersionCreationCommand, {
      solutionVersionArn: trainingVersion,
    });
    expect(account.status(trainingVersion!)).toBe("CREATE STOPPING");

    // A retry while the stop is under way asks for no second stop.
    await expect(solution.delete(ctx, found)).rejects.toThrow(/solution version \w+ \(CREATE STOPPING\)/);
    expect(personalize).toHaveReceivedCommandTimes(StopSolutionVersionCreationCommand, 1);

    // The engine waits by checking the stopping version, then the campaign, each in a region-wide
    // listing of its kind (one call a check, shared by every wait for a few seconds).
    const stillPending = (first as DependencyPendingError).stillPending!;
    personalize.resetHistory();
    await expect(stillPending()).resolves.toBe(true);
    clock.advance(3 * minute); // the stop takes 3 minutes
    await ctx.sleep(listingMaxAgeMs + 1);
    await expect(stillPending()).resolves.toBe(true); // the campaign is still there
    expect(personalize.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "ListSolutionVersionsCommand",
      "ListSolutionVersionsCommand",
      "ListCampaignsCommand",
    ]);
    for (const call of personalize.calls()) expect(call.args[0].input).toEqual({ maxResults: 100 });

    await removeCampaigns(clock, [names.campaigns[0]]);
    await ctx.sleep(listingMaxAgeMs + 1);
    await expect(stillPending()).resolves.toBe(false);
    await solution.delete(ctx, found);
    expect(account.status(found.id)).toBe("DELETE PENDING");
    expect(await solution.verify(ctx, found)).toBe("deleting");
    clock.advance(2 * minute);
    expect(await solution.verify(ctx, found)).toBe("gone");
    for (const version of arns.solutionVersions.slice(0, 2)) expect(account.exists(version)).toBe(false);
    expect(account.exists(arns.solutionVersions[2]!)).toBe(true);
  });

  it("stops the training the plan saw and waits for it before sending DeleteSolution, which AWS would refuse", async () => {
    const { clock, account, arns, names } = workshop();
    const ctx = solutionContext();
    const described = await solution.describe!(ctx, await discovered(solution, names.solutions[0]));
    await removeCampaigns(clock, [names.campaigns[0]]);
    const [, trainingVersion] = arns.solutionVersions;
    personalize.resetHistory();

    const waiting = (await solution.delete(ctx, described).catch((e: unknown) => e)) as DependencyPendingError;

    expect(waiting.message).toMatch(
      /^DeleteSolution student-ranking-solution: waiting for solution version \w+ \(stopping, was CREATE IN_PROGRESS\)$/,
    );
    expect(personalize.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "ListSolutionVersionsCommand",
      "StopSolutionVersionCreationCommand",
    ]);
    expect(personalize).toHaveReceivedCommandWith(ListSolutionVersionsCommand, { maxResults: 100 });
    expect(personalize).not.toHaveReceivedCommand(DeleteSolutionCommand);
    expect(account.status(trainingVersion!)).toBe("CREATE STOPPING");

    clock.advance(3 * minute);
    await ctx.sleep(listingMaxAgeMs + 1);
    await expect(waiting.stillPending!()).resolves.toBe(false);
    await solution.delete(ctx, described);
    expect(personalize).toHaveReceivedCommandTimes(DeleteSolutionCommand, 1);
    expect(personalize).toHaveReceivedCommandTimes(StopSolutionVersionCreationCommand, 1);
    expect(account.status(described.id)).toBe("DELETE PENDING");
  });

  it("asks the stop once: a delete retried while the listing is a few seconds old does not stop again", async () => {
    const { clock, names } = workshop();
    const ctx = solutionContext();
    const described = await solution.describe!(ctx, await discovered(solution, names.solutions[0]));
    await removeCampaigns(clock, [names.campaigns[0]]);

    await expect(solution.delete(ctx, described)).rejects.toThrow(/\(stopping, was CREATE IN_PROGRESS\)$/);
    await ctx.sleep(1_000);
    // the listing of a second ago still says CREATE IN_PROGRESS: waited for as stopping, not stopped again
    await expect(solution.delete(ctx, described)).rejects.toThrow(/\(stopping, was CREATE IN_PROGRESS\)$/);

    expect(personalize).toHaveReceivedCommandTimes(StopSolutionVersionCreationCommand, 1);
    expect(personalize).not.toHaveReceivedCommand(DeleteSolutionCommand);
  });

  it("an edited plan naming another solution's training stops nothing of it: DeleteSolution's refusal reads fresh", async () => {
    const { clock, account, arns, names } = workshop();
    const other = account.addSolution({ name: "other", group: arns.datasetGroup });
    const othersTraining = account.addSolutionVersion({ solution: other, status: "CREATE IN_PROGRESS" });
    const ctx = solutionContext();
    const described = await solution.describe!(ctx, await discovered(solution, names.solutions[0]));
    const edited = {
      ...described,
      details: {
        ...described.details,
        blockers: [{ arn: othersTraining, kind: "solution version", name: "x", status: "CREATE IN_PROGRESS" }],
      },
    };
    await removeCampaigns(clock, [names.campaigns[0]]);
    personalize.resetHistory();

    await expect(solution.delete(ctx, edited)).rejects.toThrow(/waiting for solution version \w+ \(stopping/);

    expect(personalize).toHaveReceivedCommandTimes(DeleteSolutionCommand, 1);
    expect(personalize).toHaveReceivedCommandExactlyOnceWith(StopSolutionVersionCreationCommand, {
      solutionVersionArn: arns.solutionVersions[1],
    });
    expect(account.status(othersTraining)).toBe("CREATE IN_PROGRESS");
  });

  it("solutions waiting for batch jobs share one listing of them while it is a few seconds old", async () => {
    const { clock, account, arns, names } = workshop();
    const second = account.addSolution({ name: "second", group: arns.datasetGroup });
    account.addBatchInferenceJob({
      name: "second-batch",
      solutionVersion: account.addSolutionVersion({ solution: second }),
      status: "IN PROGRESS",
      then: [{ status: "ACTIVE", afterMs: 8 * minute }],
    });
    const ctx = solutionContext();
    const planned = [
      await solution.describe!(ctx, await discovered(solution, names.solutions[1])),
      await solution.describe!(ctx, await discovered(solution, "second")),
    ];
    await removeCampaigns(clock, [names.campaigns[1]]);
    personalize.resetHistory();

    const waits = (await Promise.all(
      planned.map((f) => solution.delete(ctx, f).catch((e: unknown) => e)),
    )) as DependencyPendingError[];
    await Promise.all(waits.map((w) => w.stillPending!()));
    await ctx.sleep(1_000);
    await Promise.all(waits.map((w) => w.stillPending!()));

    expect(waits.map((w) => w.message)).toEqual([
      "DeleteSolution student-similar-items-solution: waiting for batch inference job student-nightly-batch (IN PROGRESS)",
      "DeleteSolution second: waiting for batch inference job second-batch (IN PROGRESS)",
    ]);
    expect(personalize.calls().map((c) => c.args[0].constructor.name)).toEqual(["ListBatchInferenceJobsCommand"]);
  });

  it("with stopSolutionVersionCreation off, waits for the training to end instead of stopping it", async () => {
    const { clock, account, names } = workshop();
    const found = await discovered(solution, names.solutions[0]);
    const ctx = solutionContext({ stopSolutionVersionCreation: false });
    await removeCampaigns(clock, [names.campaigns[0]]);

    await expect(solution.delete(ctx, found)).rejects.toThrow(
      /waiting for solution version \w+ \(CREATE IN_PROGRESS\)$/,
    );
    expect(personalize).not.toHaveReceivedCommand(StopSolutionVersionCreationCommand);

    clock.advance(120 * minute);
    await solution.delete(ctx, found);
    expect(account.status(found.id)).toBe("DELETE PENDING");
  });

  it("waits for a batch inference job, which nothing can stop", async () => {
    const { clock, account, names } = workshop();
    const found = await discovered(solution, names.solutions[1]);
    const ctx = solutionContext();
    await removeCampaigns(clock, [names.campaigns[1]]);

    await expect(solution.delete(ctx, found)).rejects.toThrow(
      /waiting for batch inference job student-nightly-batch \(IN PROGRESS\)$/,
    );
    expect(ctx.progressMessages).toEqual(["waiting for batch inference job student-nightly-batch (IN PROGRESS)"]);

    clock.advance(3 * minute); // the job ends 8 minutes after it started
    await expect(solution.delete(ctx, found)).resolves.toBeUndefined();
    expect(account.status(found.id)).toBe("DELETE PENDING");
  });

  it("goes on when a training ends between the listing and the stop", async () => {
    const { names } = workshop();
    const found = await discovered(solution, names.solutions[0]);
    personalize
      .on(StopSolutionVersionCreationCommand)
      .rejects(Object.assign(new Error("Solution version is ACTIVE"), { name: "InvalidInputException" }));

    await expect(solution.delete(solutionContext(), found)).rejects.toMatchObject({
      kind: "dependency-pending",
    });
  });

  it("fails fast when the stop is not allowed", async () => {
    const { names } = workshop();
    const found = await discovered(solution, names.solutions[0]);
    personalize.on(StopSolutionVersionCreationCommand).rejects(
      Object.assign(new Error("not authorized to perform: personalize:StopSolutionVersionCreation"), {
        name: "AccessDeniedException",
      }),
    );

    await expect(solution.delete(solutionContext(), found)).rejects.toMatchObject({
      kind: "access-denied",
      action: "personalize:StopSolutionVersionCreation",
    });
  });

  it("deletes a solution whose creation failed, and says NotFound once it is gone", async () => {
    const { clock, account, arns } = workshop();
    account.addSolution({ name: "broken", group: arns.datasetGroup, status: "CREATE FAILED" });
    const found = await discovered(solution, "broken");
    const ctx = solutionContext();

    await solution.delete(ctx, found);
    expect(personalize).toHaveReceivedCommandWith(DeleteSolutionCommand, { solutionArn: found.id });
    await expect(solution.delete(ctx, found)).resolves.toBeUndefined(); // already DELETE PENDING
    clock.advance(2 * minute);

    await expect(solution.delete(ctx, found)).rejects.toMatchObject({ kind: "not-found" });
  });
});
