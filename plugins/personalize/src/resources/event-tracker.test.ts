import { DeleteEventTrackerCommand, ListEventTrackersCommand, PersonalizeClient } from "@aws-sdk/client-personalize";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { ManualClock, buildWorkshopAccount } from "../testing/index.js";
import { eventTracker } from "./event-tracker.js";

const personalize = mockClient(PersonalizeClient);

beforeEach(() => {
  personalize.reset();
});

describe("personalize.event-tracker", () => {
  it("names each tracker <dataset group>/<tracker>: two groups may use the same tracker name", async () => {
    const { account, arns } = buildWorkshopAccount();
    const sameName = account.addEventTracker({ name: "student-event-tracker", group: arns.decoyDatasetGroup });
    account.install(personalize);

    const found = await collect(eventTracker.discover(testContext({ resource: eventTracker }), {}));

    expect(found.map((f) => [f.name, f.id])).toEqual([
      ["student-ranking-dataset-group/student-event-tracker", arns.eventTracker],
      ["other-team-dataset-group/student-event-tracker", sameName],
    ]);
    expect(found[0]!.details).toEqual({ status: "ACTIVE", datasetGroupArn: arns.datasetGroup });
  });

  it("lists only the groups the selected names can be in", async () => {
    const { account, arns, names } = buildWorkshopAccount();
    account.install(personalize);

    const found = await collect(eventTracker.discover(testContext(), { names: [names.eventTracker] }));

    expect(found.map((f) => f.id)).toEqual([arns.eventTracker]);
    expect(personalize).toHaveReceivedCommandExactlyOnceWith(ListEventTrackersCommand, {
      datasetGroupArn: arns.datasetGroup,
    });
  });

  it("deletes asynchronously and says NotFound once gone", async () => {
    const clock = new ManualClock();
    const { account, arns, names } = buildWorkshopAccount({ clock });
    account.install(personalize);
    const [found] = await collect(eventTracker.discover(testContext(), { names: [names.eventTracker] }));
    const ctx = testContext({ resource: eventTracker });

    await eventTracker.delete(ctx, found!);

    expect(personalize).toHaveReceivedCommandWith(DeleteEventTrackerCommand, { eventTrackerArn: arns.eventTracker });
    expect(await eventTracker.verify(ctx, found!)).toBe("deleting");
    clock.advance(60_000);
    expect(await eventTracker.verify(ctx, found!)).toBe("gone");
    await expect(eventTracker.delete(ctx, found!)).rejects.toMatchObject({ kind: "not-found" });
  });
});
