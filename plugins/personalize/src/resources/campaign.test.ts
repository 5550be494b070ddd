import {
  DeleteCampaignCommand,
  DescribeCampaignCommand,
  ListCampaignsCommand,
  PersonalizeClient,
} from "@aws-sdk/client-personalize";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { FakePersonalizeAccount, ManualClock, buildWorkshopAccount, throttlingError } from "../testing/index.js";
import { campaign } from "./campaign.js";

const personalize = mockClient(PersonalizeClient);
const minute = 60_000;

beforeEach(() => {
  personalize.reset();
});

/** An account with one dataset group, one solution version and the campaigns the test adds. */
function smallAccount() {
  const clock = new ManualClock();
  const account = new FakePersonalizeAccount({ clock });
  const group = account.addDatasetGroup({ name: "g" });
  const solution = account.addSolution({ name: "s", group });
  const version = account.addSolutionVersion({ solution });
  account.install(personalize);
  return { clock, account, version };
}

async function foundOf(name: string) {
  const all = await collect(campaign.discover(testContext({ resource: campaign }), {}));
  const found = all.find((c) => c.name === name);
  if (!found) throw new Error(`no campaign ${name}`);
  return found;
}

describe("personalize.campaign discover", () => {
  it("lists every campaign of the region across pages, with ARN, creation date and status", async () => {
    const { account, arns } = buildWorkshopAccount({ pageSize: 2 });
    account.install(personalize);

    const found = await collect(campaign.discover(testContext({ resource: campaign }), {}));

    expect(found.map((f) => f.name).sort()).toEqual([
      "other-team-campaign",
      "student-ranking-campaign",
      "student-similar-items-campaign",
    ]);
    expect(personalize).toHaveReceivedCommandTimes(ListCampaignsCommand, 2);
    expect(personalize).toHaveReceivedNthCommandWith(ListCampaignsCommand, 2, { nextToken: "page-2" });
    const ranking = found.find((f) => f.name === "student-ranking-campaign")!;
    expect(ranking).toEqual({
      id: arns.campaigns[0],
      name: "student-ranking-campaign",
      arn: arns.campaigns[0],
      createdAt: "2025-01-06T09:00:00.000Z",
      details: { status: "ACTIVE" },
    });
    // The list gives no tags: the engine reads them only when a selector needs them.
    expect(ranking.tags).toBeUndefined();
    expect(await campaign.readTags!(testContext({ resource: campaign }), ranking)).toEqual({
      workshop: "student-system",
    });
  });
});

describe("personalize.campaign describe", () => {
  it("says when a campaign is still being created, without any API call", async () => {
    const { account, version } = smallAccount();
    account.addCampaign({ name: "new", solutionVersion: version, status: "CREATE IN_PROGRESS" });
    const found = await foundOf("new");
    personalize.resetHistory();

    const described = await campaign.describe!(testContext({ resource: campaign }), found);

    expect(described.notes).toEqual(["still being created (CREATE IN_PROGRESS): it is deleted once creation ends"]);
    expect(personalize).not.toHaveReceivedAnyCommand();
  });
});

describe("personalize.campaign delete and verify", () => {
  it("goes DELETE PENDING -> DELETE IN_PROGRESS -> gone, reporting each state", async () => {
    const { clock, account, version } = smallAccount();
    const arn = account.addCampaign({ name: "c", solutionVersion: version });
    const found = await foundOf("c");
    const ctx = testContext({ resource: campaign });

    await campaign.delete(ctx, found);

    expect(personalize).toHaveReceivedCommandExactlyOnceWith(DeleteCampaignCommand, { campaignArn: arn });
    // the delete returned while it is DELETE PENDING: the engine's first read waits a poll
    expect(campaign.deletesAsynchronously).toBe(true);
    expect(personalize).not.toHaveReceivedCommand(DescribeCampaignCommand);
    expect(await campaign.verify(ctx, found)).toBe("deleting");
    clock.advance(1 * minute);
    expect(await campaign.verify(ctx, found)).toBe("deleting");
    clock.advance(4 * minute);
    expect(await campaign.verify(ctx, found)).toBe("gone");
    expect(ctx.progressMessages).toEqual(["DELETE PENDING", "DELETE IN_PROGRESS"]);
    expect(account.exists(arn)).toBe(false);
  });

  it("deletes a campaign whose creation failed like an active one", async () => {
    const { account, version } = smallAccount();
    const arn = account.addCampaign({ name: "failed", solutionVersion: version, status: "CREATE FAILED" });

    await campaign.delete(testContext({ resource: campaign }), await foundOf("failed"));

    expect(account.status(arn)).toBe("DELETE PENDING");
  });

  it("accepts a campaign already being deleted (a second run): it only has to be waited for", async () => {
    const { account, version } = smallAccount();
    const arn = account.addCampaign({ name: "c", solutionVersion: version });
    const found = await foundOf("c");
    await campaign.delete(testContext({ resource: campaign }), found);
    const ctx = testContext({ resource: campaign });

    await expect(campaign.delete(ctx, found)).resolves.toBeUndefined();

    expect(personalize).toHaveReceivedCommandTimes(DeleteCampaignCommand, 2);
    expect(personalize).toHaveReceivedCommandWith(DescribeCampaignCommand, { campaignArn: arn });
    expect(ctx.progressMessages).toEqual(["DELETE PENDING"]);
  });

  it("waits (DependencyPending) while the campaign is still being created, then deletes it", async () => {
    const { clock, account, version } = smallAccount();
    const arn = account.addCampaign({
      name: "c",
      solutionVersion: version,
      status: "CREATE IN_PROGRESS",
      then: [{ status: "ACTIVE", afterMs: 10 * minute }],
    });
    const found = await foundOf("c");
    const ctx = testContext({ resource: campaign });

    const refused = await campaign.delete(ctx, found).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: "dependency-pending" });
    expect((refused as Error).message).toMatch(/DeleteCampaign c: refused while it is CREATE IN_PROGRESS/);
    expect(account.status(arn)).toBe("CREATE IN_PROGRESS");

    clock.advance(10 * minute);
    await campaign.delete(ctx, found);
    expect(account.status(arn)).toBe("DELETE PENDING");
  });

  it("says NotFound on a second run once the campaign is gone", async () => {
    const { clock, account, version } = smallAccount();
    account.addCampaign({ name: "c", solutionVersion: version });
    const found = await foundOf("c");
    const ctx = testContext({ resource: campaign });
    await campaign.delete(ctx, found);
    clock.advance(10 * minute);

    await expect(campaign.delete(ctx, found)).rejects.toMatchObject({ kind: "not-found" });
    expect(await campaign.verify(ctx, found)).toBe("gone");
  });

  it("classifies throttling and missing permissions", async () => {
    const { account, version } = smallAccount();
    account.addCampaign({ name: "c", solutionVersion: version });
    const found = await foundOf("c");
    const ctx = testContext({ resource: campaign });

    personalize
      .on(DeleteCampaignCommand)
      .rejectsOnce(throttlingError())
      .rejectsOnce(
        Object.assign(new Error("User x is not authorized to perform: personalize:DeleteCampaign on resource y"), {
          name: "AccessDeniedException",
        }),
      );

    await expect(campaign.delete(ctx, found)).rejects.toMatchObject({ kind: "throttled" });
    await expect(campaign.delete(ctx, found)).rejects.toMatchObject({
      kind: "access-denied",
      action: "personalize:DeleteCampaign",
    });
  });

  it("verify says present while the campaign is untouched", async () => {
    const { account, version } = smallAccount();
    account.addCampaign({ name: "c", solutionVersion: version });

    expect(await campaign.verify(testContext({ resource: campaign }), await foundOf("c"))).toBe("present");
  });
});

describe("personalize.campaign verifyAll", () => {
  it("reads many campaigns being deleted from one listing, and a few one by one", async () => {
    const { clock, account, version } = smallAccount();
    const arns = Array.from({ length: 150 }, (_, i) =>
      account.addCampaign({ name: `c${String(i).padStart(3, "0")}`, solutionVersion: version }),
    );
    const ctx = testContext({ resource: campaign });
    const all = await collect(campaign.discover(ctx, {}));
    for (const found of all.slice(0, 100)) await campaign.delete(ctx, found);
    clock.advance(1_000);
    personalize.resetHistory();

    // 100 polls due at once: the account's 150 campaigns in 2 pages, not 100 Describes.
    const states = await campaign.verifyAll!(ctx, all.slice(0, 100));
    expect(states).toEqual(Array.from({ length: 100 }, () => "deleting"));
    expect(personalize).toHaveReceivedCommandTimes(ListCampaignsCommand, 2);
    expect(personalize).not.toHaveReceivedCommand(DescribeCampaignCommand);

    // Two due at once: no fewer calls by listing (2 pages), so each is read.
    clock.advance(10 * minute);
    personalize.resetHistory();
    expect(await campaign.verifyAll!(ctx, [all[0]!, all[120]!])).toEqual(["gone", "present"]);
    expect(personalize).toHaveReceivedCommandTimes(DescribeCampaignCommand, 2);
    expect(personalize).not.toHaveReceivedCommand(ListCampaignsCommand);
    expect(account.exists(arns[120]!)).toBe(true);
  });
});
