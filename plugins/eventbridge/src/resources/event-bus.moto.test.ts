import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DescribeArchiveCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { eventBus } from "./event-bus.js";

const moto = useMoto();
const events = () => moto.client(EventBridgeClient);
const ctx = () => moto.context({ resource: eventBus });
const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

async function putRule(bus: string, name: string, targets: number) {
  await events().send(
    new PutRuleCommand({ Name: name, EventBusName: bus, EventPattern: '{"source":["student.app"]}' }),
  );
  const all = Array.from({ length: targets }, (_, i) => ({ Id: `t${i + 1}`, Arn: lambda(`${name}-${i + 1}`) }));
  for (let i = 0; i < all.length; i += 10) {
    await events().send(new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: all.slice(i, i + 10) }));
  }
}

const exists = (send: () => Promise<unknown>) =>
  send().then(
    () => true,
    () => false,
  );

describe("eventbridge.event-bus on moto", () => {
  it("empties the bus (archives, targets, rules) before deleting it, and leaves the other buses alone", async () => {
    const { EventBusArn } = await events().send(new CreateEventBusCommand({ Name: "student-event-bus" }));
    await putRule("student-event-bus", "student-email-rule", 1);
    await putRule("student-event-bus", "student-ml-training-rule", 12);
    await putRule("student-event-bus", "student-nightly-update-rule", 2);
    await events().send(new CreateArchiveCommand({ ArchiveName: "student-events", EventSourceArn: EventBusArn }));
    await events().send(new CreateEventBusCommand({ Name: "other-project-bus" }));
    await putRule("other-project-bus", "other-project-rule", 1);
    await putRule("default", "other-project-default-rule", 1);

    const buses = await collect(eventBus.discover(ctx(), {}));
    expect(buses.map((b) => b.name).sort()).toEqual(["default", "other-project-bus", "student-event-bus"]);
    const student = buses.find((b) => b.name === "student-event-bus")!;
    const planned = await eventBus.describe!(ctx(), student);
    expect(planned.children).toEqual([
      { kind: "rules", count: 3, note: "student-email-rule, student-ml-training-rule, student-nightly-update-rule" },
      { kind: "targets", count: 15 },
      { kind: "archives", count: 1, note: "student-events" },
    ]);
    expect(planned.protectedReason).toBeUndefined();

    // moto deletes a bus that still has rules (AWS refuses): record what the bus held when DeleteEventBus went out.
    const rulesAtBusDelete: string[][] = [];
    const deleteCtx = ctx();
    deleteCtx.client(EventBridgeClient).middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "DeleteEventBusCommand") {
          const { Rules } = await events().send(new ListRulesCommand({ EventBusName: "student-event-bus" }));
          rulesAtBusDelete.push((Rules ?? []).map((r) => r.Name ?? ""));
        }
        return next(args);
      },
      { step: "initialize" },
    );
    await eventBus.delete(deleteCtx, planned);

    expect(rulesAtBusDelete).toEqual([[]]);
    expect(await eventBus.verify(ctx(), student)).toBe("gone");
    expect(await exists(() => events().send(new DescribeArchiveCommand({ ArchiveName: "student-events" })))).toBe(
      false,
    );
    expect(
      await exists(() =>
        events().send(new DescribeRuleCommand({ Name: "other-project-rule", EventBusName: "other-project-bus" })),
      ),
    ).toBe(true);
    expect(await exists(() => events().send(new DescribeRuleCommand({ Name: "other-project-default-rule" })))).toBe(
      true,
    );
    await expect(eventBus.delete(ctx(), planned)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("plans the default bus as protected", async () => {
    const buses = await collect(eventBus.discover(ctx(), {}));

    expect(eventBus.protectedReason!(buses.find((b) => b.name === "default")!)).toMatch(/default event bus/);
  });
});
