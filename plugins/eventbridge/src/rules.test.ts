import { EventBridgeClient, RemoveTargetsCommand } from "@aws-sdk/client-eventbridge";
import { testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { deleteRuleWithTargets, failedEntryRetries, listTargets, removeTargets } from "./rules.js";
import { FakeEventBridge } from "./testing/fake-eventbridge.js";

const events = mockClient(EventBridgeClient);
const client = () => testContext().client(EventBridgeClient);
const nightly = { name: "student-nightly-update-rule", eventBusName: "student-event-bus" };
let account: FakeEventBridge;

beforeEach(() => {
  events.reset();
  account = new FakeEventBridge().addBus("student-event-bus").install(events);
});

describe("removeTargets", () => {
  it("removes more than 10 targets in batches of at most 10 ids, over every page of targets", async () => {
    account.addRule("student-event-bus", nightly.name, 23);

    await deleteRuleWithTargets(client(), nightly);

    const batches = events.commandCalls(RemoveTargetsCommand).map((call) => call.args[0].input.Ids!.length);
    expect(batches).toEqual([10, 10, 3]);
    expect(account.buses.get("student-event-bus")!.rules.has(nightly.name)).toBe(false);
  });

  it("sends the failed entries again, and only them", async () => {
    account.addRule("student-event-bus", nightly.name, 4);
    account.failingTargets.set(`${nightly.name}-target-2`, 2);

    const targets = await listTargets(client(), nightly);
    await removeTargets(
      client(),
      nightly,
      targets.map((target) => target.id),
    );

    const sent = events.commandCalls(RemoveTargetsCommand).map((call) => call.args[0].input.Ids);
    expect(sent).toEqual([
      [`${nightly.name}-target-1`, `${nightly.name}-target-2`, `${nightly.name}-target-3`, `${nightly.name}-target-4`],
      [`${nightly.name}-target-2`],
      [`${nightly.name}-target-2`],
    ]);
    expect(account.buses.get("student-event-bus")!.rules.get(nightly.name)!.targets).toEqual([]);
  });

  it("gives up after a bounded number of re-sends with a retryable error, the rule kept", async () => {
    account.addRule("student-event-bus", nightly.name, 2);
    account.failingTargets.set(`${nightly.name}-target-1`, 100);

    await expect(deleteRuleWithTargets(client(), nightly)).rejects.toMatchObject({
      kind: "throttled",
      message: expect.stringContaining(`${nightly.name}-target-1: ConcurrentModificationException`),
    });
    expect(events).toHaveReceivedCommandTimes(RemoveTargetsCommand, 1 + failedEntryRetries);
    expect(account.buses.get("student-event-bus")!.rules.has(nightly.name)).toBe(true);
  });

  it("counts failed entries for targets that no longer exist as removed", async () => {
    events.on(RemoveTargetsCommand).resolves({
      FailedEntryCount: 1,
      FailedEntries: [{ TargetId: "t1", ErrorCode: "ResourceNotFoundException", ErrorMessage: "gone" }],
    });

    await removeTargets(client(), nightly, ["t1"]);

    expect(events).toHaveReceivedCommandTimes(RemoveTargetsCommand, 1);
  });

  it("sends the whole batch again when the failures carry no target ids", async () => {
    events
      .on(RemoveTargetsCommand)
      .resolvesOnce({ FailedEntryCount: 1, FailedEntries: [] })
      .resolves({ FailedEntryCount: 0, FailedEntries: [] });

    await removeTargets(client(), nightly, ["t1", "t2"]);

    expect(events).toHaveReceivedNthCommandWith(RemoveTargetsCommand, 2, { Ids: ["t1", "t2"] });
  });
});

describe("deleteRuleWithTargets", () => {
  it("names the bus in every call", async () => {
    account.addRule("student-event-bus", nightly.name, 1).addRule("default", nightly.name, 1);

    await deleteRuleWithTargets(client(), nightly);

    expect(account.buses.get("default")!.rules.has(nightly.name)).toBe(true);
    for (const call of events.calls()) expect(call.args[0].input).toMatchObject({ EventBusName: "student-event-bus" });
  });

  it("reports a rule that is gone as not found", async () => {
    await expect(deleteRuleWithTargets(client(), nightly)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("reports a managed rule as protected, never forcing it", async () => {
    account.addRule("student-event-bus", nightly.name, 1, { managedBy: "schemas.amazonaws.com" });

    await expect(deleteRuleWithTargets(client(), nightly)).rejects.toMatchObject({ kind: "protected" });
    for (const call of events.calls()) expect(call.args[0].input).not.toHaveProperty("Force");
  });
});
