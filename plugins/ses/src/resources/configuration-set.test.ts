import {
  ConcurrentModificationException,
  DeleteConfigurationSetCommand,
  GetConfigurationSetCommand,
  GetConfigurationSetEventDestinationsCommand,
  ListConfigurationSetsCommand,
  NotFoundException,
  SESv2Client,
} from "@aws-sdk/client-sesv2";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { configurationSet } from "./configuration-set.js";

const ses = mockClient(SESv2Client);
const ctx = () => testContext({ resource: configurationSet });
const meta = { $metadata: {} };
const set = { id: "student-config-set", name: "student-config-set" };

beforeEach(() => {
  ses.reset();
});

describe("ses.configuration-set", () => {
  it("lists every page", async () => {
    ses
      .on(ListConfigurationSetsCommand)
      .resolvesOnce({ ConfigurationSets: ["student-config-set"], NextToken: "p2" })
      .resolvesOnce({ ConfigurationSets: ["other-project-config-set"] });

    const sets = await collect(configurationSet.discover(ctx(), {}));

    expect(sets).toEqual([
      { ...set, arn: "arn:aws:ses:us-east-1:123456789012:configuration-set/student-config-set" },
      {
        id: "other-project-config-set",
        name: "other-project-config-set",
        arn: "arn:aws:ses:us-east-1:123456789012:configuration-set/other-project-config-set",
      },
    ]);
    expect(ses).toHaveReceivedNthCommandWith(ListConfigurationSetsCommand, 2, { NextToken: "p2" });
  });

  it("reads tags with GetConfigurationSet", async () => {
    ses
      .on(GetConfigurationSetCommand, { ConfigurationSetName: set.id })
      .resolves({ Tags: [{ Key: "workshop", Value: "student-system" }] });

    expect(await configurationSet.readTags!(ctx(), set)).toEqual({ workshop: "student-system" });
  });

  it("shows the event destinations that go with it, and says their targets stay", async () => {
    ses.on(GetConfigurationSetEventDestinationsCommand, { ConfigurationSetName: set.id }).resolves({
      EventDestinations: [
        {
          Name: "bounces-to-sns",
          MatchingEventTypes: ["BOUNCE"],
          SnsDestination: { TopicArn: "arn:aws:sns:us-east-1:123456789012:student-bounces" },
        },
        { Name: "metrics", MatchingEventTypes: ["SEND"], CloudWatchDestination: { DimensionConfigurations: [] } },
      ],
    });

    const planned = await configurationSet.describe!(ctx(), set);

    expect(planned.children).toEqual([{ kind: "event destinations", count: 2, note: "bounces-to-sns, metrics" }]);
    expect(planned.notes).toEqual([
      "where the events go is not deleted: arn:aws:sns:us-east-1:123456789012:student-bounces, CloudWatch metrics",
    ]);
  });

  it("deletes with DeleteConfigurationSet; a rerun is already gone; a conflict is pending", async () => {
    ses
      .on(DeleteConfigurationSetCommand)
      .resolvesOnce({})
      .rejectsOnce(
        new NotFoundException({ message: "Configuration set <student-config-set> does not exist.", ...meta }),
      )
      .rejects(new ConcurrentModificationException({ message: "busy", ...meta }));

    await configurationSet.delete(ctx(), set);
    await expect(configurationSet.delete(ctx(), set)).rejects.toMatchObject({ kind: "not-found" });
    await expect(configurationSet.delete(ctx(), set)).rejects.toMatchObject({ kind: "dependency-pending" });
    expect(ses).toHaveReceivedCommandWith(DeleteConfigurationSetCommand, { ConfigurationSetName: set.id });
  });

  it("verifies with a fresh GetConfigurationSet", async () => {
    ses
      .on(GetConfigurationSetCommand)
      .resolvesOnce({ ConfigurationSetName: set.id })
      .rejects(new NotFoundException({ message: "not found", ...meta }));

    expect(await configurationSet.verify(ctx(), set)).toBe("present");
    expect(await configurationSet.verify(ctx(), set)).toBe("gone");
  });
});
