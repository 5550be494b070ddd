import {
  DeleteMetricAttributionCommand,
  ListMetricAttributionsCommand,
  ListTagsForResourceCommand,
  PersonalizeClient,
} from "@aws-sdk/client-personalize";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { FakePersonalizeAccount, ManualClock } from "../testing/index.js";
import { metricAttribution } from "./metric-attribution.js";

const personalize = mockClient(PersonalizeClient);

beforeEach(() => {
  personalize.reset();
});

describe("personalize.metric-attribution", () => {
  it("discovers across pages, deletes asynchronously, and handles a second run while deleting", async () => {
    const clock = new ManualClock();
    const fake = new FakePersonalizeAccount({ clock, pageSize: 1 });
    const group = fake.addDatasetGroup({ name: "g" });
    const arn = fake.addMetricAttribution({ name: "metrics", group });
    fake.addMetricAttribution({ name: "other", group: fake.addDatasetGroup({ name: "h" }) });
    fake.install(personalize);
    const ctx = testContext({ resource: metricAttribution });

    const found = await collect(metricAttribution.discover(ctx, {}));
    expect(found.map((f) => f.name)).toEqual(["metrics", "other"]);
    expect(personalize).toHaveReceivedCommandTimes(ListMetricAttributionsCommand, 2);
    // Metric attributions cannot be tagged: no tags to read, no ListTagsForResource.
    expect(found.map((f) => f.tags)).toEqual([{}, {}]);
    expect(personalize).not.toHaveReceivedCommand(ListTagsForResourceCommand);

    await metricAttribution.delete(ctx, found[0]!);
    await metricAttribution.delete(ctx, found[0]!); // a second run, while DELETE PENDING
    expect(personalize).toHaveReceivedCommandTimes(DeleteMetricAttributionCommand, 2);
    expect(fake.status(arn)).toBe("DELETE PENDING");
    clock.advance(45_000);
    expect(await metricAttribution.verify(ctx, found[0]!)).toBe("gone");
    expect(fake.exists(found[1]!.id)).toBe(true);
  });
});
