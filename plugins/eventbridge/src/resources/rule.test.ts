import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  ThrottlingException,
} from "@aws-sdk/client-eventbridge";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { FakeEventBridge } from "../testing/fake-eventbridge.js";
import { rule } from "./rule.js";

const events = mockClient(EventBridgeClient);
const ctx = () => testContext({ resource: rule });
let account: FakeEventBridge;

beforeEach(() => {
  events.reset();
  account = new FakeEventBridge()
    .addBus("student-event-bus")
    .addBus("other-project-bus")
    .addRule("student-event-bus", "student-email-rule", 1, { tags: { workshop: "student-system" } })
    .addRule("student-event-bus", "student-ml-training-rule", 2)
    .addRule("student-event-bus", "student-nightly-update-rule", 1)
    .addRule("default", "other-project-rule", 1)
    .addRule("default", "AutoScalingManagedRule", 1, { managedBy: "autoscaling.amazonaws.com" })
    .install(events);
});

/** Names of the commands sent, in order. */
const sent = () => events.calls().map((call) => call.args[0].constructor.name.replace(/Command$/, ""));

async function discovered(hints = {}) {
  return collect(rule.discover(ctx(), hints));
}

describe("eventbridge.rule discover", () => {
  it("lists the rules of every bus, every page, each with its bus", async () => {
    const rules = await discovered();

    expect(rules.map((r) => `${r.details!.eventBusName as string}/${r.name}`).sort()).toEqual([
      "default/AutoScalingManagedRule",
      "default/other-project-rule",
      "student-event-bus/student-email-rule",
      "student-event-bus/student-ml-training-rule",
      "student-event-bus/student-nightly-update-rule",
    ]);
    expect(rules.find((r) => r.name === "student-email-rule")).toEqual({
      id: "arn:aws:events:us-east-1:123456789012:rule/student-event-bus/student-email-rule",
      name: "student-email-rule",
      arn: "arn:aws:events:us-east-1:123456789012:rule/student-event-bus/student-email-rule",
      details: { eventBusName: "student-event-bus" },
    });
  });

  it("pushes the prefix down to ListRules on each bus", async () => {
    const rules = await discovered({ prefix: "student-" });

    expect(rules).toHaveLength(3);
    for (const call of events.commandCalls(ListRulesCommand)) expect(call.args[0].input.NamePrefix).toBe("student-");
  });

  it("reads tags by ARN", async () => {
    const [email] = await discovered({ names: ["student-email-rule"], prefix: "student-email-rule" });

    expect(await rule.readTags!(ctx(), email!)).toEqual({ workshop: "student-system" });
  });
});

describe("eventbridge.rule plan", () => {
  it("protects managed rules with the reason", async () => {
    const managed = (await discovered()).find((r) => r.name === "AutoScalingManagedRule")!;
    const own = (await discovered()).find((r) => r.name === "other-project-rule")!;

    expect(rule.protectedReason!(managed)).toBe(
      "managed by autoscaling.amazonaws.com: it goes when that service removes it",
    );
    expect(rule.protectedReason!(own)).toBeUndefined();
  });

  it("shows the targets that go with the rule", async () => {
    const training = (
      await discovered({ names: ["student-ml-training-rule"], prefix: "student-ml-training-rule" })
    )[0]!;

    const planned = await rule.describe!(ctx(), training);

    expect(planned.children).toEqual([
      {
        kind: "targets",
        count: 2,
        note:
          "arn:aws:lambda:us-east-1:123456789012:function:student-ml-training-rule-target-1, " +
          "arn:aws:lambda:us-east-1:123456789012:function:student-ml-training-rule-target-2",
      },
    ]);
  });
});

describe("eventbridge.rule delete and verify", () => {
  it("removes the targets, deletes the rule on its own bus, and counts a rerun as gone", async () => {
    const nightly = (
      await discovered({ names: ["student-nightly-update-rule"], prefix: "student-nightly-update-rule" })
    )[0]!;

    await rule.delete(ctx(), nightly);

    expect(await rule.verify(ctx(), nightly)).toBe("gone");
    expect(events).toHaveReceivedCommandWith(DescribeRuleCommand, {
      Name: "student-nightly-update-rule",
      EventBusName: "student-event-bus",
    });
    expect(account.buses.get("default")!.rules.has("other-project-rule")).toBe(true);
    await expect(rule.delete(ctx(), nightly)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("removes the targets the plan saw, without listing them again", async () => {
    const context = ctx();
    const training = (await discovered({ prefix: "student-ml-training-rule" }))[0]!;
    const planned = await rule.describe!(context, training);
    expect(planned.details).toMatchObject({
      targetIds: ["student-ml-training-rule-target-1", "student-ml-training-rule-target-2"],
    });
    events.resetHistory();

    await rule.delete(context, planned);

    expect(sent()).toEqual(["RemoveTargets", "DeleteRule"]);
    expect(account.buses.get("student-event-bus")!.rules.has("student-ml-training-rule")).toBe(false);
  });

  it("lists the targets when the plan recorded none (an older plan file)", async () => {
    const training = (await discovered({ prefix: "student-ml-training-rule" }))[0]!;
    events.resetHistory();

    await rule.delete(ctx(), { ...training, details: { ...training.details, targetIds: "not a list" } });

    expect(sent()).toEqual(["ListTargetsByRule", "RemoveTargets", "DeleteRule"]);
  });

  it("when DeleteRule refuses for a target added after the plan, lists the targets and retries once", async () => {
    const context = ctx();
    const training = (await discovered({ prefix: "student-ml-training-rule" }))[0]!;
    const planned = await rule.describe!(context, training);
    account.buses.get("student-event-bus")!.rules.get("student-ml-training-rule")!.targets.push("added-later");
    events.resetHistory();

    await rule.delete(context, planned);

    expect(sent()).toEqual(["RemoveTargets", "DeleteRule", "ListTargetsByRule", "RemoveTargets", "DeleteRule"]);
    expect(account.buses.get("student-event-bus")!.rules.has("student-ml-training-rule")).toBe(false);
  });

  it("leaves a second refusal to the engine's retry, as a pending dependency", async () => {
    const training = (await discovered({ prefix: "student-ml-training-rule" }))[0]!;
    events.resetHistory();
    const refuse = () => {
      throw Object.assign(new Error("Rule can't be deleted since it has targets."), {
        name: "ValidationException",
        $metadata: { httpStatusCode: 400 },
      });
    };
    events.on(ListTargetsByRuleCommand).resolves({ Targets: [] });
    events.on(DeleteRuleCommand).callsFake(refuse);

    await expect(
      rule.delete(ctx(), { ...training, details: { ...training.details, targetIds: [] } }),
    ).rejects.toMatchObject({ kind: "dependency-pending" });
    expect(sent()).toEqual(["DeleteRule", "ListTargetsByRule", "DeleteRule"]);
  });

  it("verifies a rule that is still there as present", async () => {
    const email = (await discovered({ names: ["student-email-rule"], prefix: "student-email-rule" }))[0]!;

    expect(await rule.verify(ctx(), email)).toBe("present");
  });

  it("classifies throttling", async () => {
    const email = (await discovered({ names: ["student-email-rule"], prefix: "student-email-rule" }))[0]!;
    events.on(DescribeRuleCommand).rejects(new ThrottlingException({ message: "Rate exceeded", $metadata: {} }));

    await expect(rule.verify(ctx(), email)).rejects.toMatchObject({ kind: "throttled" });
  });
});
