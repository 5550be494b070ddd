import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { rule } from "./rule.js";

const moto = useMoto();
const events = () => moto.client(EventBridgeClient);
const ctx = () => moto.context({ resource: rule });

async function putRule(bus: string, name: string, targets: number) {
  await events().send(
    new PutRuleCommand({
      Name: name,
      EventBusName: bus,
      EventPattern: JSON.stringify({ source: ["student.app"] }),
      Tags: [{ Key: "bus", Value: bus }],
    }),
  );
  const all = Array.from({ length: targets }, (_, i) => ({
    Id: `t${i + 1}`,
    Arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}-${i + 1}`,
  }));
  for (let i = 0; i < all.length; i += 10) {
    await events().send(new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: all.slice(i, i + 10) }));
  }
}

const ruleExists = (name: string, bus = "default") =>
  events()
    .send(new DescribeRuleCommand({ Name: name, EventBusName: bus }))
    .then(
      () => true,
      () => false,
    );

describe("eventbridge.rule on moto", () => {
  it("removes every target and deletes the rule on its own bus, leaving a same-named rule elsewhere", async () => {
    const { EventBusArn } = await events().send(new CreateEventBusCommand({ Name: "student-event-bus" }));
    await putRule("student-event-bus", "student-nightly-update-rule", 13);
    await putRule("default", "student-nightly-update-rule", 1);
    await putRule("default", "other-project-rule", 1);
    await events().send(new CreateArchiveCommand({ ArchiveName: "student-events", EventSourceArn: EventBusArn }));

    const rules = await collect(rule.discover(ctx(), { prefix: "student-" }));
    const onBus = rules.find((r) => r.details?.eventBusName === "student-event-bus")!;
    expect(rules.map((r) => `${r.details!.eventBusName as string}/${r.name}`).sort()).toEqual([
      "default/student-nightly-update-rule",
      "student-event-bus/student-nightly-update-rule",
    ]);
    // moto looks tags up by rule name alone, so a same-named rule on another bus would answer here.
    const [other] = await collect(
      rule.discover(ctx(), { names: ["other-project-rule"], prefix: "other-project-rule" }),
    );
    expect(await rule.readTags!(ctx(), other!)).toEqual({ bus: "default" });
    expect((await rule.describe!(ctx(), onBus)).children).toEqual([
      { kind: "targets", count: 13, note: expect.any(String) },
    ]);

    await rule.delete(ctx(), onBus);

    expect(await rule.verify(ctx(), onBus)).toBe("gone");
    expect(await ruleExists("student-nightly-update-rule")).toBe(true);
    expect(await ruleExists("other-project-rule")).toBe(true);
    const { Targets } = await events().send(new ListTargetsByRuleCommand({ Rule: "student-nightly-update-rule" }));
    expect(Targets).toHaveLength(1);
    await expect(rule.delete(ctx(), onBus)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("finds an archive's managed rule and plans it as protected", async () => {
    const { EventBusArn } = await events().send(new CreateEventBusCommand({ Name: "student-event-bus" }));
    await events().send(new CreateArchiveCommand({ ArchiveName: "student-events", EventSourceArn: EventBusArn }));

    const [managed] = await collect(
      rule.discover(ctx(), { names: ["Events-Archive-student-events"], prefix: "Events-Archive-student-events" }),
    );

    expect(rule.protectedReason!(managed!)).toMatch(/^managed by /);
  });
});
