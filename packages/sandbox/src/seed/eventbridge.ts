import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  SchedulerClient,
} from "@aws-sdk/client-scheduler";
import { clientConfig, seeded, type SeedResult, type SeedTarget, type SeededResource } from "./types.js";

const account = "123456789012";

/**
 * Seeds the workshop's EventBridge footprint: the bus `student-event-bus`
 * with the email, ML training and nightly update rules (each with Lambda
 * targets), the nightly schedule in the default schedule group, and the
 * schedule group `${prefix}-schedules` with a weekly schedule. Decoys: the
 * bus `other-project-bus` with a rule, the rule `other-project-rule` on the
 * default bus and the schedule `other-project-schedule`.
 */
export async function seedEventBridge(target: SeedTarget, prefix: string): Promise<SeedResult> {
  const events = new EventBridgeClient(clientConfig(target));
  const scheduler = new SchedulerClient(clientConfig(target));
  const lambda = (name: string) => `arn:aws:lambda:${target.region}:${account}:function:${name}`;

  async function putRule(bus: string, name: string, detailType: string, functions: string[]): Promise<SeededResource> {
    // Custom buses take event patterns only (schedule expressions work on the default bus alone).
    await events.send(
      new PutRuleCommand({
        Name: name,
        EventBusName: bus,
        EventPattern: JSON.stringify({ source: ["student.management"], "detail-type": [detailType] }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: name,
        EventBusName: bus,
        Targets: functions.map((fn, i) => ({ Id: `target-${i + 1}`, Arn: lambda(fn) })),
      }),
    );
    return seeded(`eventbridge.rule ${bus}/${name}`, () =>
      events.send(new DescribeRuleCommand({ Name: name, EventBusName: bus })),
    );
  }

  async function createSchedule(name: string, group: string, fn: string): Promise<SeededResource> {
    await scheduler.send(
      new CreateScheduleCommand({
        Name: name,
        GroupName: group,
        ScheduleExpression: "cron(0 2 * * ? *)",
        FlexibleTimeWindow: { Mode: "OFF" },
        Target: { Arn: lambda(fn), RoleArn: `arn:aws:iam::${account}:role/${prefix}-scheduler-role` },
      }),
    );
    return seeded(`scheduler.schedule ${group}/${name}`, () =>
      scheduler.send(new GetScheduleCommand({ Name: name, GroupName: group })),
    );
  }

  const bus = (name: string) =>
    seeded(`eventbridge.event-bus ${name}`, () => events.send(new DescribeEventBusCommand({ Name: name })));

  await events.send(new CreateEventBusCommand({ Name: "student-event-bus" }));
  const selectedRules = [
    await putRule("student-event-bus", `${prefix}-email-rule`, "StudentRegistered", [`${prefix}-send-email`]),
    await putRule("student-event-bus", `${prefix}-ml-training-rule`, "GradesUpdated", [
      `${prefix}-train-model`,
      `${prefix}-update-recommendations`,
    ]),
    await putRule("student-event-bus", `${prefix}-nightly-update-rule`, "NightlyUpdate", [`${prefix}-nightly-update`]),
  ];
  const nightly = await createSchedule(`${prefix}-nightly-schedule`, "default", `${prefix}-nightly-update`);
  const group = `${prefix}-schedules`;
  await scheduler.send(new CreateScheduleGroupCommand({ Name: group }));
  const weekly = await createSchedule(`${prefix}-weekly-report-schedule`, group, `${prefix}-weekly-report`);

  await events.send(new CreateEventBusCommand({ Name: "other-project-bus" }));
  const decoyBusRule = await putRule("other-project-bus", "other-project-bus-rule", "OtherEvent", ["other-project-fn"]);
  const decoyDefaultRule = await putRule("default", "other-project-rule", "OtherEvent", ["other-project-fn"]);
  const decoySchedule = await createSchedule("other-project-schedule", "default", "other-project-fn");

  return {
    selected: [
      bus("student-event-bus"),
      ...selectedRules,
      nightly,
      seeded(`scheduler.schedule-group ${group}`, () => scheduler.send(new GetScheduleGroupCommand({ Name: group }))),
      weekly,
    ],
    decoys: [bus("other-project-bus"), decoyBusRule, decoyDefaultRule, decoySchedule],
  };
}
