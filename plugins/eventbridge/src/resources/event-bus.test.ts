import {
  DeleteArchiveCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  EventBridgeClient,
  ListArchivesCommand,
  ListEventBusesCommand,
  ListTargetsByRuleCommand,
  RemoveTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { awsError, FakeEventBridge } from "../testing/fake-eventbridge.js";
import { eventBus } from "./event-bus.js";
import { rule } from "./rule.js";

const events = mockClient(EventBridgeClient);
const ctx = () => testContext({ resource: eventBus });
let account: FakeEventBridge;

beforeEach(() => {
  events.reset();
  account = new FakeEventBridge()
    .addBus("student-event-bus", { workshop: "student-system" })
    .addBus("other-project-bus")
    .addRule("student-event-bus", "student-email-rule", 1)
    .addRule("student-event-bus", "student-ml-training-rule", 12)
    .addRule("student-event-bus", "student-nightly-update-rule", 1)
    .addArchive("student-events", "student-event-bus")
    .addRule("other-project-bus", "other-project-rule", 1)
    .install(events);
});

async function bus(name: string) {
  return (await collect(eventBus.discover(ctx(), {}))).find((b) => b.name === name)!;
}

/** Names of the commands sent, in order. */
const sent = () => events.calls().map((call) => call.args[0].constructor.name.replace(/Command$/, ""));

describe("eventbridge.event-bus discover and plan", () => {
  it("lists every bus over every page, the default one protected", async () => {
    const buses = await collect(eventBus.discover(ctx(), {}));

    expect(buses.map((b) => b.name)).toEqual(["default", "student-event-bus", "other-project-bus"]);
    expect(events).toHaveReceivedCommandTimes(ListEventBusesCommand, 2);
    expect(eventBus.protectedReason!(buses[0]!)).toMatch(/default event bus cannot be deleted/);
    expect(eventBus.protectedReason!(buses[1]!)).toBeUndefined();
  });

  it("lists the region's buses once per run for the bus and the rule discover alike", async () => {
    const context = ctx();

    const [buses] = await Promise.all([
      collect(eventBus.discover(context, { prefix: "student-" })),
      collect(rule.discover(context, { prefix: "student-" })),
    ]);

    expect(buses.map((b) => b.name)).toEqual(["default", "student-event-bus", "other-project-bus"]);
    // Pages of 2: three buses take two pages, read once.
    expect(events).toHaveReceivedCommandTimes(ListEventBusesCommand, 2);
    for (const call of events.commandCalls(ListEventBusesCommand)) {
      expect(call.args[0].input.NamePrefix).toBeUndefined();
    }
  });

  it("reads tags by ARN", async () => {
    expect(await eventBus.readTags!(ctx(), await bus("student-event-bus"))).toEqual({ workshop: "student-system" });
  });

  it("shows the rules, their targets and the archives that go with the bus", async () => {
    const planned = await eventBus.describe!(ctx(), await bus("student-event-bus"));

    expect(planned.children).toEqual([
      {
        kind: "rules",
        count: 3,
        note: "student-email-rule, student-ml-training-rule, student-nightly-update-rule",
      },
      { kind: "targets", count: 14 },
      { kind: "archives", count: 1, note: "student-events" },
    ]);
    expect(planned.protectedReason).toBeUndefined();
  });

  it("lists each rule's targets once for the bus and the rule planned in one run", async () => {
    const context = ctx();
    const student = await bus("student-event-bus");
    const training = (await collect(rule.discover(context, { prefix: "student-ml-training-rule" })))[0]!;
    events.resetHistory();

    const [planned] = await Promise.all([eventBus.describe!(context, student), rule.describe!(context, training)]);

    // Pages of 2: the training rule's 12 targets take 6 pages, read once for both describes.
    const pagesOf = (name: string) =>
      events.commandCalls(ListTargetsByRuleCommand).filter((call) => call.args[0].input.Rule === name).length;
    expect(pagesOf("student-ml-training-rule")).toBe(6);
    expect(events).toHaveReceivedCommandTimes(ListTargetsByRuleCommand, 1 + 6 + 1);
    expect(planned.details).toMatchObject({
      archives: ["student-events"],
      ruleTargets: { "student-email-rule": ["student-email-rule-target-1"] },
    });
  });

  it("counts and records the targets of a rule whatever its name, __proto__ included", async () => {
    account.addRule("student-event-bus", "__proto__", 2);

    const planned = await eventBus.describe!(ctx(), await bus("student-event-bus"));

    expect(planned.children).toContainEqual({ kind: "targets", count: 16 });
    const recorded = JSON.parse(JSON.stringify(planned.details)) as { ruleTargets: object };
    expect(Object.getOwnPropertyDescriptor(recorded.ruleTargets, "__proto__")?.value).toEqual([
      "__proto__-target-1",
      "__proto__-target-2",
    ]);
  });

  it("protects a bus that holds rules other AWS services manage", async () => {
    account.addRule("student-event-bus", "Schemas-events-event-bus-student", 1, { managedBy: "schemas.amazonaws.com" });

    const planned = await eventBus.describe!(ctx(), await bus("student-event-bus"));

    expect(planned.protectedReason).toContain("Schemas-events-event-bus-student (schemas.amazonaws.com)");
  });
});

describe("eventbridge.event-bus delete", () => {
  it("deletes the archives, every rule's targets and rule, then the bus, leaving other buses alone", async () => {
    const student = await bus("student-event-bus");
    events.resetHistory();

    await eventBus.delete(ctx(), student);

    const order = sent().filter((name) => name.startsWith("Delete") || name === "RemoveTargets");
    expect(order).toEqual([
      "DeleteArchive",
      "RemoveTargets",
      "DeleteRule",
      "RemoveTargets",
      "RemoveTargets",
      "DeleteRule",
      "RemoveTargets",
      "DeleteRule",
      "DeleteEventBus",
    ]);
    expect(events).toHaveReceivedCommandWith(DeleteArchiveCommand, { ArchiveName: "student-events" });
    expect(await eventBus.verify(ctx(), student)).toBe("gone");
    expect(account.buses.get("other-project-bus")!.rules.has("other-project-rule")).toBe(true);
    for (const call of events.commandCalls(DeleteRuleCommand)) {
      expect(call.args[0].input).toMatchObject({ EventBusName: "student-event-bus" });
    }
  });

  it("deletes the archives and the targets the plan saw: only the rules are read again", async () => {
    const context = ctx();
    const planned = await eventBus.describe!(context, await bus("student-event-bus"));
    events.resetHistory();

    await eventBus.delete(context, planned);

    // Four rules (the archive's included) in pages of 2.
    expect(sent()).toEqual([
      "ListRules",
      "ListRules",
      "DeleteArchive",
      "RemoveTargets",
      "DeleteRule",
      "RemoveTargets",
      "RemoveTargets",
      "DeleteRule",
      "RemoveTargets",
      "DeleteRule",
      "DeleteEventBus",
    ]);
    expect(account.buses.has("student-event-bus")).toBe(false);
  });

  it("reads the archives fresh when the bus holds the rule of an archive the plan did not see", async () => {
    const context = ctx();
    const planned = await eventBus.describe!(context, await bus("student-event-bus"));
    account.addArchive("made-later", "student-event-bus");
    events.resetHistory();

    await eventBus.delete(context, planned);

    expect(events).toHaveReceivedCommandOnce(ListArchivesCommand);
    expect(events).toHaveReceivedCommandWith(DeleteArchiveCommand, { ArchiveName: "made-later" });
    expect(account.buses.has("student-event-bus")).toBe(false);
  });

  it("never deletes another bus's archive that took the name of one the plan saw", async () => {
    const context = ctx();
    const planned = await eventBus.describe!(context, await bus("student-event-bus"));
    // After the plan: the bus's archive is deleted, and an archive of another bus takes its name.
    account.archives.delete("student-events");
    account.buses.get("student-event-bus")!.rules.delete("Events-Archive-student-events");
    account.addArchive("student-events", "other-project-bus");
    events.resetHistory();

    await eventBus.delete(context, planned);

    expect(events).toHaveReceivedCommandOnce(ListArchivesCommand);
    expect(events).not.toHaveReceivedCommand(DeleteArchiveCommand);
    expect(account.archives.get("student-events")?.source).toMatch(/event-bus\/other-project-bus$/);
    expect(account.buses.has("student-event-bus")).toBe(false);
  });

  it("reads the archives and targets fresh for a plan that recorded none", async () => {
    const student = await bus("student-event-bus");
    events.resetHistory();

    await eventBus.delete(ctx(), student);

    expect(events).toHaveReceivedCommandOnce(ListArchivesCommand);
    expect(events).toHaveReceivedCommandTimes(ListTargetsByRuleCommand, 1 + 6 + 1);
  });

  it("leaves a bus with rules of other AWS services untouched", async () => {
    account.addRule("student-event-bus", "Schemas-events-event-bus-student", 1, { managedBy: "schemas.amazonaws.com" });
    const student = await bus("student-event-bus");
    events.resetHistory();

    await expect(eventBus.delete(ctx(), student)).rejects.toMatchObject({ kind: "protected" });
    expect(sent().filter((name) => name.startsWith("Delete") || name === "RemoveTargets")).toEqual([]);
  });

  it("leaves a bus untouched when a rule of another AWS service came after the plan", async () => {
    const context = ctx();
    const planned = await eventBus.describe!(context, await bus("student-event-bus"));
    account.addRule("student-event-bus", "Schemas-events-event-bus-student", 1, { managedBy: "schemas.amazonaws.com" });
    events.resetHistory();

    await expect(eventBus.delete(context, planned)).rejects.toMatchObject({ kind: "protected" });
    expect(sent()).toEqual(["ListRules", "ListRules", "ListRules"]);
  });

  it("reports rules the bus still counts as a pending dependency", async () => {
    const student = await bus("student-event-bus");
    events
      .on(DeleteEventBusCommand)
      .rejects(awsError("ValidationException", "EventBus can't be deleted since it has rules."));

    await expect(eventBus.delete(ctx(), student)).rejects.toMatchObject({ kind: "dependency-pending" });
  });

  it("finishes a partial attempt on a rerun, and counts a deleted bus as not found", async () => {
    const student = await bus("student-event-bus");
    account.failingTargets.set("student-ml-training-rule-target-11", 100);

    await expect(eventBus.delete(ctx(), student)).rejects.toMatchObject({ kind: "throttled" });
    expect(await eventBus.verify(ctx(), student)).toBe("present");

    account.failingTargets.clear();
    await eventBus.delete(ctx(), student);
    expect(await eventBus.verify(ctx(), student)).toBe("gone");
    await expect(eventBus.delete(ctx(), student)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("never sends a delete for the default bus", async () => {
    await expect(eventBus.delete(ctx(), await bus("default"))).rejects.toMatchObject({ kind: "protected" });
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
    expect(events).not.toHaveReceivedCommand(RemoveTargetsCommand);
  });
});
