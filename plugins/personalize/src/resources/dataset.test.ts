import {
  DeleteDatasetCommand,
  ListDatasetGroupsCommand,
  ListDatasetImportJobsCommand,
  ListDatasetsCommand,
  PersonalizeClient,
} from "@aws-sdk/client-personalize";
import type { DependencyPendingError } from "@cleanup-runner/plugin-kit";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { listingMaxAgeMs } from "../blocker-listings.js";
import { FakePersonalizeAccount, ManualClock, buildWorkshopAccount } from "../testing/index.js";
import { dataset } from "./dataset.js";

const personalize = mockClient(PersonalizeClient);
const minute = 60_000;

beforeEach(() => {
  personalize.reset();
});

/** A dataset group `g` with a schema; the test adds datasets and what blocks them. */
function smallAccount() {
  const clock = new ManualClock();
  const account = new FakePersonalizeAccount({ clock });
  const group = account.addDatasetGroup({ name: "g" });
  const schema = account.addSchema({ name: "schema" });
  account.install(personalize);
  return { clock, account, group, schema };
}

async function discovered(name: string) {
  const found = (await collect(dataset.discover(testContext(), {}))).find((f) => f.name === name);
  if (!found) throw new Error(`not discovered: ${name}`);
  return found;
}

describe("personalize.dataset discover", () => {
  it("names each dataset <dataset group>/<dataset>, from one listing of the region, page by page", async () => {
    const { account, arns } = buildWorkshopAccount({ pageSize: 2 });
    account.install(personalize);

    const found = await collect(dataset.discover(testContext({ resource: dataset }), {}));

    expect(found.map((f) => f.name)).toEqual([
      "student-ranking-dataset-group/student-interactions",
      "student-ranking-dataset-group/student-items",
      "student-ranking-dataset-group/student-users",
      "other-team-dataset-group/other-team-users",
    ]);
    expect(found[1]).toEqual({
      id: arns.datasets[1],
      name: "student-ranking-dataset-group/student-items",
      arn: arns.datasets[1],
      createdAt: "2025-01-06T09:00:00.000Z",
      details: { status: "ACTIVE", datasetGroupArn: arns.datasetGroup, datasetType: "Items" },
    });
    // Both groups are listed: one listing of the region's 4 datasets (2 pages) instead of one per group
    // (3 calls); each dataset's ARN names its group.
    expect(personalize.commandCalls(ListDatasetsCommand).map((c) => c.args[0].input.datasetGroupArn)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it("lists only the dataset groups whose datasets the names can select", async () => {
    const { account, arns, names } = buildWorkshopAccount();
    account.install(personalize);

    const found = await collect(dataset.discover(testContext(), { names: [names.datasets[1]] }));

    expect(found.map((f) => f.name)).toContain(names.datasets[1]);
    expect(personalize).toHaveReceivedCommandTimes(ListDatasetGroupsCommand, 1);
    expect(personalize).toHaveReceivedCommandExactlyOnceWith(ListDatasetsCommand, {
      datasetGroupArn: arns.datasetGroup,
    });
  });

  it("keeps every group a prefix can reach, whether it stops inside or beyond the group name", async () => {
    const { account } = buildWorkshopAccount();
    account.install(personalize);

    const byGroupPrefix = await collect(dataset.discover(testContext(), { prefix: "student-" }));
    const byDatasetPrefix = await collect(
      dataset.discover(testContext(), { prefix: "other-team-dataset-group/other" }),
    );

    expect(byGroupPrefix).toHaveLength(3);
    expect(byDatasetPrefix.map((f) => f.name)).toEqual(["other-team-dataset-group/other-team-users"]);
  });
});

describe("personalize.dataset describe", () => {
  it("says a running import job is waited for, and records it for the delete", async () => {
    const { account, names } = buildWorkshopAccount();
    account.install(personalize);

    const ctx = testContext({ resource: dataset });
    const described = await dataset.describe!(ctx, await discovered(names.datasets[1]));

    expect(described.children).toEqual([{ kind: "import and export job records" }]);
    expect(described.notes).toEqual([
      "import job student-items-import (CREATE IN_PROGRESS) still runs: no API stops or deletes it; the delete waits until it ends",
    ]);
    // The delete waits for it before asking AWS: the plan keeps it, as plain JSON.
    expect(JSON.parse(JSON.stringify(described.details))).toMatchObject({
      blockers: [{ kind: "import job", name: "student-items-import", status: "CREATE IN_PROGRESS" }],
      blockersSeenAt: ctx.now(),
    });
  });
});

describe("personalize.dataset planning reads", () => {
  it("lists the region's import and export jobs once for every dataset, describing only those still running", async () => {
    const { account, group, schema } = smallAccount();
    const datasets = (["Items", "Users", "Interactions"] as const).map((type) =>
      account.addDataset({ name: type.toLowerCase(), group, type, schema }),
    );
    account.addImportJob({ name: "items-done", dataset: datasets[0]! });
    account.addImportJob({ name: "items-running", dataset: datasets[0]!, status: "CREATE IN_PROGRESS" });
    account.addExportJob({ name: "users-running", dataset: datasets[1]!, status: "CREATE PENDING" });
    const ctx = testContext({ resource: dataset });
    const found = await collect(dataset.discover(ctx, {}));
    personalize.resetHistory();

    const described = await Promise.all(found.map((f) => dataset.describe!(ctx, f)));

    expect(described.map((d) => d.notes)).toEqual([
      [expect.stringMatching(/^import job items-running \(CREATE IN_PROGRESS\) still runs/)],
      [expect.stringMatching(/^export job users-running \(CREATE PENDING\) still runs/)],
      undefined,
    ]);
    expect(personalize.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "ListDatasetImportJobsCommand",
      "DescribeDatasetImportJobCommand",
      "ListDatasetExportJobsCommand",
      "DescribeDatasetExportJobCommand",
    ]);
    expect(personalize.commandCalls(ListDatasetImportJobsCommand)[0]!.args[0].input).toEqual({ maxResults: 100 });
  });
});

describe("personalize.dataset delete", () => {
  it("waits for a running import job, then goes DELETE PENDING -> DELETE IN_PROGRESS -> gone with its jobs", async () => {
    const { clock, account, group, schema } = smallAccount();
    const arn = account.addDataset({ name: "items", group, type: "Items", schema });
    const job = account.addImportJob({
      name: "items-import",
      dataset: arn,
      status: "CREATE IN_PROGRESS",
      then: [{ status: "ACTIVE", afterMs: 12 * minute }],
    });
    const found = await discovered("g/items");
    const ctx = testContext({ resource: dataset });

    const refused = (await dataset.delete(ctx, found).catch((e: unknown) => e)) as DependencyPendingError;
    expect(refused).toMatchObject({
      kind: "dependency-pending",
      message: "DeleteDataset g/items: waiting for import job items-import (CREATE IN_PROGRESS)",
    });
    expect(personalize).toHaveReceivedCommandTimes(DeleteDatasetCommand, 1);
    // While it waits, the engine checks the import job in a region-wide listing of import jobs (one
    // call), not the whole refusal again; a listing a few seconds old answers the next check too.
    personalize.resetHistory();
    await expect(refused.stillPending!()).resolves.toBe(true);
    clock.advance(12 * minute);
    await expect(refused.stillPending!()).resolves.toBe(true); // the listing is not yet 15 s old: one more wait
    await ctx.sleep(listingMaxAgeMs + 1);
    await expect(refused.stillPending!()).resolves.toBe(false);
    expect(personalize.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "ListDatasetImportJobsCommand",
      "ListDatasetImportJobsCommand",
    ]);
    for (const call of personalize.commandCalls(ListDatasetImportJobsCommand)) {
      expect(call.args[0].input).toEqual({ maxResults: 100 }); // no datasetArn: the whole region
    }
    await dataset.delete(ctx, found);

    expect(personalize).toHaveReceivedCommandTimes(DeleteDatasetCommand, 1);
    expect(await dataset.verify(ctx, found)).toBe("deleting");
    clock.advance(1 * minute);
    expect(await dataset.verify(ctx, found)).toBe("deleting");
    clock.advance(2 * minute);
    expect(await dataset.verify(ctx, found)).toBe("gone");
    expect(ctx.progressMessages).toEqual([
      "waiting for import job items-import (CREATE IN_PROGRESS)",
      "DELETE PENDING",
      "DELETE IN_PROGRESS",
    ]);
    expect(account.exists(job)).toBe(false);
  });

  it("waits for the import job the plan saw running before sending DeleteDataset, which AWS would refuse", async () => {
    const { clock, account, group, schema } = smallAccount();
    const arn = account.addDataset({ name: "items", group, type: "Items", schema });
    const other = account.addDataset({ name: "users", group, type: "Users", schema });
    for (const [name, on] of [
      ["items-import", arn],
      ["users-import", other],
    ] as const) {
      account.addImportJob({
        name,
        dataset: on,
        status: "CREATE IN_PROGRESS",
        then: [{ status: "ACTIVE", afterMs: 12 * minute }],
      });
    }
    const ctx = testContext({ resource: dataset });
    const items = await dataset.describe!(ctx, await discovered("g/items"));
    const users = await dataset.describe!(ctx, await discovered("g/users"));
    personalize.resetHistory();

    const waits = await Promise.all([items, users].map((f) => dataset.delete(ctx, f).catch((e: unknown) => e)));

    expect(waits.map((e) => (e as Error).message)).toEqual([
      "DeleteDataset g/items: waiting for import job items-import (CREATE IN_PROGRESS)",
      "DeleteDataset g/users: waiting for import job users-import (CREATE IN_PROGRESS)",
    ]);
    // Both read one region-wide listing of import jobs; neither sent the delete.
    expect(personalize.calls().map((c) => c.args[0].constructor.name)).toEqual(["ListDatasetImportJobsCommand"]);
    await expect((waits[0] as DependencyPendingError).stillPending!()).resolves.toBe(true);
    expect(personalize.calls()).toHaveLength(1);

    clock.advance(12 * minute);
    await ctx.sleep(listingMaxAgeMs + 1);
    await expect((waits[0] as DependencyPendingError).stillPending!()).resolves.toBe(false);
    await dataset.delete(ctx, items);
    expect(personalize).toHaveReceivedCommandTimes(DeleteDatasetCommand, 1);
    expect(account.status(arn)).toBe("DELETE PENDING");
  });

  it("a plan whose recorded blockers are malformed (an older or edited plan file) deletes and learns of them from AWS", async () => {
    const { account, group, schema } = smallAccount();
    const arn = account.addDataset({ name: "items", group, type: "Items", schema });
    account.addImportJob({ name: "items-import", dataset: arn, status: "CREATE IN_PROGRESS" });
    const ctx = testContext({ resource: dataset });
    const described = await dataset.describe!(ctx, await discovered("g/items"));
    const malformed = { ...described, details: { ...described.details, blockers: [{ arn: 42 }] } };
    personalize.resetHistory();

    await expect(dataset.delete(ctx, malformed)).rejects.toThrow(
      "DeleteDataset g/items: waiting for import job items-import (CREATE IN_PROGRESS)",
    );
    expect(personalize).toHaveReceivedCommandTimes(DeleteDatasetCommand, 1);
    expect(personalize).toHaveReceivedCommandWith(ListDatasetImportJobsCommand, { datasetArn: arn });
  });

  it("a plan recording a blocker of a kind its describe never records deletes and learns of blockers from AWS", async () => {
    const { account, group, schema } = smallAccount();
    account.addDataset({ name: "items", group, type: "Items", schema });
    const solution = account.addSolution({ name: "ranking", group });
    const campaign = account.addCampaign({ name: "c", solutionVersion: account.addSolutionVersion({ solution }) });
    const ctx = testContext({ resource: dataset });
    const described = await dataset.describe!(ctx, await discovered("g/items"));
    const edited = {
      ...described,
      details: { ...described.details, blockers: [{ arn: campaign, kind: "campaign", name: "c" }] },
    };

    await dataset.delete(ctx, edited);

    expect(personalize).toHaveReceivedCommandTimes(DeleteDatasetCommand, 1);
    expect(account.status(described.id)).toBe("DELETE PENDING");
  });

  it("names a training solution version of its group and, for interactions, the event tracker", async () => {
    const { account, group, schema } = smallAccount();
    account.addDataset({ name: "interactions", group, type: "Interactions", schema });
    account.addEventTracker({ name: "tracker", group });
    const solution = account.addSolution({ name: "s", group });
    account.addSolutionVersion({ solution, status: "CREATE PENDING" });

    await expect(dataset.delete(testContext(), await discovered("g/interactions"))).rejects.toThrow(
      /waiting for solution version \w+ \(CREATE PENDING\) of solution s, event tracker tracker \(ACTIVE\)$/,
    );
  });

  it("handles a dataset already being deleted and says NotFound once it is gone", async () => {
    const { clock, account, group, schema } = smallAccount();
    account.addDataset({ name: "users", group, type: "Users", schema, status: "CREATE FAILED" });
    const found = await discovered("g/users");
    const ctx = testContext();

    await dataset.delete(ctx, found);
    await expect(dataset.delete(ctx, found)).resolves.toBeUndefined();
    clock.advance(3 * minute);

    await expect(dataset.delete(ctx, found)).rejects.toMatchObject({ kind: "not-found" });
  });
});
