import {
  DeleteDatasetGroupCommand,
  DescribeDatasetCommand,
  ListCampaignsCommand,
  ListDatasetGroupsCommand,
  ListDatasetsCommand,
  ListEventTrackersCommand,
  ListFiltersCommand,
  ListRecommendersCommand,
  ListSchemasCommand,
  PersonalizeClient,
} from "@aws-sdk/client-personalize";
import type { Static } from "@cleanup-runner/plugin-kit";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { FakePersonalizeAccount, ManualClock, buildWorkshopAccount, throttlingError } from "../testing/index.js";
import { datasetGroup } from "./dataset-group.js";
import { dataset } from "./dataset.js";
import { eventTracker } from "./event-tracker.js";
import { filter } from "./filter.js";
import { recommender } from "./recommender.js";
import { schema } from "./schema.js";
import { solution } from "./solution.js";

const personalize = mockClient(PersonalizeClient);
const minute = 60_000;

beforeEach(() => {
  personalize.reset();
});

function groupContext(options: Record<string, unknown> = {}) {
  return testContext<Static<NonNullable<typeof datasetGroup.options>>>({ resource: datasetGroup, options });
}

async function discovered(name: string) {
  const found = (await collect(datasetGroup.discover(testContext(), {}))).find((f) => f.name === name);
  if (!found) throw new Error(`not discovered: ${name}`);
  return found;
}

function describeWorkshop(options: Record<string, unknown>, settings: { prefix?: string } = {}) {
  const built = buildWorkshopAccount(settings);
  built.account.install(personalize);
  const run = async () => datasetGroup.describe!(groupContext(options), await discovered(built.names.datasetGroup));
  return { ...built, run };
}

describe("personalize.dataset-group discover", () => {
  it("lists every dataset group across pages", async () => {
    const { account, arns } = buildWorkshopAccount({ pageSize: 1 });
    account.install(personalize);

    const found = await collect(datasetGroup.discover(groupContext(), {}));

    expect(found).toEqual([
      {
        id: arns.datasetGroup,
        name: "student-ranking-dataset-group",
        arn: arns.datasetGroup,
        createdAt: "2025-01-06T09:00:00.000Z",
        details: { status: "ACTIVE" },
      },
      expect.objectContaining({ name: "other-team-dataset-group" }),
    ]);
    expect(personalize).toHaveReceivedCommandTimes(ListDatasetGroupsCommand, 2);
  });
});

describe("personalize.dataset-group describe", () => {
  it("plans everything inside as companions deleted before it, by the names each type discovers", async () => {
    const { run, names } = describeWorkshop({});

    const described = await run();

    expect(described.companions).toEqual([
      {
        type: "personalize.campaign",
        names: [...names.campaigns],
        order: "before",
        reason: "the campaigns of its solutions",
      },
      {
        type: "personalize.solution",
        names: [...names.solutions],
        order: "before",
        reason: "its solutions (their versions go with them)",
      },
      { type: "personalize.recommender", names: [names.recommender], order: "before", reason: "its recommenders" },
      { type: "personalize.filter", names: [names.filter], order: "before", reason: "its filters" },
      { type: "personalize.event-tracker", names: [names.eventTracker], order: "before", reason: "its event trackers" },
      {
        type: "personalize.metric-attribution",
        names: [names.metricAttribution],
        order: "before",
        reason: "its metric attributions",
      },
      { type: "personalize.dataset", names: [...names.datasets], order: "before", reason: "its datasets" },
    ]);
  });

  it("keeps the schemas by default, and says which and how to delete them", async () => {
    const { run } = describeWorkshop({});

    const described = await run();

    expect(described.companions?.map((c) => c.type)).not.toContain("personalize.schema");
    expect(described.notes).toEqual([
      "keeps the schemas its datasets use (student-interactions-schema, student-items-schema, shared-users-schema): " +
        "they cost nothing; option deleteSchemas deletes those no other dataset uses",
    ]);
    // Only its own three datasets are read, not the other team's.
    expect(personalize).toHaveReceivedCommandTimes(DescribeDatasetCommand, 3);
  });

  it("with deleteSchemas, deletes after it the schemas only its datasets use and keeps the shared one", async () => {
    const { run, names } = describeWorkshop({ deleteSchemas: true });

    const described = await run();

    expect(described.companions).toContainEqual({
      type: "personalize.schema",
      names: [...names.privateSchemas],
      order: "after",
      reason: "schemas only its datasets use",
    });
    expect(described.notes).toEqual([
      "keeps schema shared-users-schema: also used by dataset other-team-dataset-group/other-team-users (ACTIVE)",
    ]);
  });

  it("does not keep a schema for a dataset that is already being deleted elsewhere", async () => {
    const { run, account, arns, names } = describeWorkshop({ deleteSchemas: true });
    // The other team deletes its dataset: it is DELETE PENDING when the plan is made.
    const other = (await collect(dataset.discover(testContext(), {}))).find((f) => f.name === names.decoyDataset)!;
    await dataset.delete(testContext(), other);
    expect(account.status(arns.decoyDataset)).toBe("DELETE PENDING");

    const described = await run();

    expect(described.companions?.find((c) => c.type === "personalize.schema")?.names).toEqual([
      ...names.privateSchemas,
      names.sharedSchema,
    ]);
    expect(described.notes).toBeUndefined();
  });

  it("reads the region's datasets once per run, however many groups and schemas it plans", async () => {
    const { account, names } = buildWorkshopAccount();
    account.install(personalize);
    const ctx = groupContext({ deleteSchemas: true });
    const groups = await collect(datasetGroup.discover(ctx, {}));
    const shared = (await collect(schema.discover(ctx, {}))).find((f) => f.name === names.sharedSchema)!;
    personalize.resetHistory();

    const [workshop, otherTeam] = await Promise.all(groups.map((group) => datasetGroup.describe!(ctx, group)));
    const described = await schema.describe!(ctx, shared);

    // Four datasets in the region (three in the workshop's group, one in the other team's): each described once.
    expect(personalize).toHaveReceivedCommandTimes(DescribeDatasetCommand, 4);
    // the schemas' names come from the schema discover's listing
    expect(personalize).not.toHaveReceivedCommand(ListSchemasCommand);
    // Planned as when each describe read the region itself.
    expect(workshop?.companions).toContainEqual(
      expect.objectContaining({ type: "personalize.schema", names: [...names.privateSchemas] }),
    );
    expect(workshop?.notes).toEqual([
      "keeps schema shared-users-schema: also used by dataset other-team-dataset-group/other-team-users (ACTIVE)",
    ]);
    expect(otherTeam?.notes).toEqual([
      "keeps schema shared-users-schema: also used by dataset student-ranking-dataset-group/student-users (ACTIVE)",
    ]);
    expect(described.notes).toEqual([
      expect.stringMatching(/^used by dataset student-ranking-dataset-group\/student-users/),
    ]);

    // Another run (a new client) reads the region again: delete and later runs never see a stale index.
    await datasetGroup.describe!(groupContext({ deleteSchemas: true }), groups[0]!);
    expect(personalize).toHaveReceivedCommandTimes(DescribeDatasetCommand, 8);
  });

  it("shares its reads with the run's other discovers and describes; recommenders and filters listed region-wide", async () => {
    const { account, names } = buildWorkshopAccount();
    account.install(personalize);
    const ctx = groupContext();
    await collect(dataset.discover(ctx, {}));
    await collect(eventTracker.discover(ctx, {}));
    // The engine hands every type of a run and region the same client: here, that of `ctx`.
    const solutionCtx = { ...ctx, options: { stopSolutionVersionCreation: true } };
    for (const found of await collect(solution.discover(solutionCtx, {}))) await solution.describe!(solutionCtx, found);
    const groups = await collect(datasetGroup.discover(ctx, {}));

    const [workshop] = await Promise.all(groups.map((group) => datasetGroup.describe!(ctx, group)));
    const discoveredToo = [
      ...(await collect(recommender.discover(ctx, {}))),
      ...(await collect(filter.discover(ctx, {}))),
    ];

    // One listing of the groups for every discover; each group's trackers listed once,
    // each solution's campaigns once (their summaries name no parent); recommenders and filters once
    // for the region (their summaries name their group).
    expect(personalize).toHaveReceivedCommandTimes(ListDatasetGroupsCommand, 1);
    // every group's datasets from one listing of the region (a dataset's ARN names its group)
    expect(personalize).toHaveReceivedCommandTimes(ListDatasetsCommand, 1);
    expect(personalize).toHaveReceivedCommandTimes(ListEventTrackersCommand, 2);
    expect(personalize).toHaveReceivedCommandTimes(ListCampaignsCommand, 3);
    expect(personalize).toHaveReceivedCommandTimes(ListRecommendersCommand, 1);
    expect(personalize).toHaveReceivedCommandTimes(ListFiltersCommand, 1);
    for (const command of [ListRecommendersCommand, ListFiltersCommand]) {
      expect(personalize.commandCalls(command)[0]!.args[0].input).toEqual({ maxResults: 100 });
    }
    expect(discoveredToo.map((f) => f.name)).toEqual([names.recommender, names.filter]);
    expect(workshop?.companions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "personalize.campaign", names: [...names.campaigns] }),
        expect.objectContaining({ type: "personalize.recommender", names: [names.recommender] }),
        expect.objectContaining({ type: "personalize.filter", names: [names.filter] }),
        expect.objectContaining({ type: "personalize.event-tracker", names: [names.eventTracker] }),
      ]),
    );
  });

  it("with deleteSchemas, reads even its own datasets from the region's listing that its schema check reads", async () => {
    const { account, names } = buildWorkshopAccount();
    account.install(personalize);
    const found = await discovered(names.datasetGroup);

    // The first read of this run's client: nothing has listed datasets yet.
    const described = await datasetGroup.describe!(groupContext({ deleteSchemas: true }), found);

    expect(described.companions).toContainEqual(
      expect.objectContaining({ type: "personalize.dataset", names: [...names.datasets] }),
    );
    // Every group's datasets (which schema each uses) from one listing, the group's own included.
    expect(personalize.commandCalls(ListDatasetsCommand).map((c) => c.args[0].input)).toEqual([{ maxResults: 100 }]);
  });

  it("reads the region again after a failed read instead of keeping the failure", async () => {
    const { account, names } = buildWorkshopAccount();
    account.install(personalize);
    const ctx = groupContext({ deleteSchemas: true });
    const found = await discovered(names.datasetGroup);
    personalize.on(ListDatasetGroupsCommand).callsFake(() => Promise.reject(throttlingError()));

    await expect(datasetGroup.describe!(ctx, found)).rejects.toMatchObject({ name: "ThrottlingException" });
    account.install(personalize); // Personalize answers again.
    const described = await datasetGroup.describe!(ctx, found);

    expect(described.companions).toContainEqual(
      expect.objectContaining({ type: "personalize.schema", names: [...names.privateSchemas] }),
    );
  });

  it("plans nothing for an empty group", async () => {
    const account = new FakePersonalizeAccount();
    account.addDatasetGroup({ name: "empty" });
    account.install(personalize);

    const described = await datasetGroup.describe!(groupContext({ deleteSchemas: true }), await discovered("empty"));

    expect(described.companions).toEqual([]);
    expect(described.notes).toBeUndefined();
  });
});

describe("personalize.dataset-group delete", () => {
  it("waits while the group still holds resources, then goes DELETE PENDING -> gone", async () => {
    const clock = new ManualClock();
    const account = new FakePersonalizeAccount({ clock });
    const group = account.addDatasetGroup({ name: "g" });
    const filterArn = account.addFilter({ name: "f", group });
    account.install(personalize);
    const found = await discovered("g");
    const ctx = groupContext();

    await expect(datasetGroup.delete(ctx, found)).rejects.toMatchObject({
      kind: "dependency-pending",
      message: expect.stringMatching(/refused while it is ACTIVE: .*filter f \(ACTIVE\)/),
    });
    await filter.delete(testContext(), (await collect(filter.discover(testContext(), {})))[0]!);
    clock.advance(1 * minute);
    expect(account.exists(filterArn)).toBe(false);

    await datasetGroup.delete(ctx, found);
    expect(personalize).toHaveReceivedCommandWith(DeleteDatasetGroupCommand, { datasetGroupArn: found.id });
    expect(await datasetGroup.verify(ctx, found)).toBe("deleting");
    clock.advance(1 * minute);
    expect(await datasetGroup.verify(ctx, found)).toBe("gone");
    expect(ctx.progressMessages).toEqual([expect.stringMatching(/^refused while it is ACTIVE/), "DELETE PENDING"]);
    await expect(datasetGroup.delete(ctx, found)).rejects.toMatchObject({ kind: "not-found" });
  });
});
