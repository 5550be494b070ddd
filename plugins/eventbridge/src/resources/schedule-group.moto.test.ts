import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  SchedulerClient,
} from "@aws-sdk/client-scheduler";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { scheduleGroup } from "./schedule-group.js";

const moto = useMoto();
const scheduler = () => moto.client(SchedulerClient);
const ctx = () => moto.context({ resource: scheduleGroup });

async function createSchedule(name: string, group: string) {
  await scheduler().send(
    new CreateScheduleCommand({
      Name: name,
      GroupName: group,
      ScheduleExpression: "rate(1 day)",
      FlexibleTimeWindow: { Mode: "OFF" },
      Target: { Arn: "arn:aws:sqs:us-east-1:123456789012:student-jobs", RoleArn: "arn:aws:iam::123456789012:role/r" },
    }),
  );
}

const exists = (send: () => Promise<unknown>) =>
  send().then(
    () => true,
    () => false,
  );

describe("scheduler.schedule-group on moto", () => {
  it("deletes the group with its schedules, leaves the other groups, and keeps the default group protected", async () => {
    await scheduler().send(
      new CreateScheduleGroupCommand({
        Name: "student-schedules",
        Tags: [{ Key: "workshop", Value: "student-system" }],
      }),
    );
    await createSchedule("student-nightly-schedule", "student-schedules");
    await createSchedule("student-weekly-schedule", "student-schedules");
    await scheduler().send(new CreateScheduleGroupCommand({ Name: "other-project-schedules" }));
    await createSchedule("other-project-schedule", "other-project-schedules");

    const groups = await collect(scheduleGroup.discover(ctx(), {}));
    expect(groups.map((g) => g.name).sort()).toEqual(["default", "other-project-schedules", "student-schedules"]);
    expect(scheduleGroup.protectedReason!(groups.find((g) => g.name === "default")!)).toMatch(/default schedule group/);
    const student = groups.find((g) => g.name === "student-schedules")!;
    expect(await scheduleGroup.readTags!(ctx(), student)).toEqual({ workshop: "student-system" });
    const planned = await scheduleGroup.describe!(ctx(), student);
    expect(planned.children).toEqual([
      { kind: "schedules", count: 2, note: expect.stringMatching(/student-nightly-schedule/) },
    ]);

    await scheduleGroup.delete(ctx(), planned);

    expect(await scheduleGroup.verify(ctx(), student)).toBe("gone");
    expect(
      await exists(() =>
        scheduler().send(new GetScheduleCommand({ Name: "student-nightly-schedule", GroupName: "student-schedules" })),
      ),
    ).toBe(false);
    expect(await exists(() => scheduler().send(new GetScheduleGroupCommand({ Name: "other-project-schedules" })))).toBe(
      true,
    );
    expect(
      await exists(() =>
        scheduler().send(
          new GetScheduleCommand({ Name: "other-project-schedule", GroupName: "other-project-schedules" }),
        ),
      ),
    ).toBe(true);
  });
});
