import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  GetScheduleCommand,
  SchedulerClient,
} from "@aws-sdk/client-scheduler";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { schedule } from "./schedule.js";

const moto = useMoto();
const scheduler = () => moto.client(SchedulerClient);
const ctx = () => moto.context({ resource: schedule });

async function createSchedule(name: string, group?: string) {
  await scheduler().send(
    new CreateScheduleCommand({
      Name: name,
      ...(group ? { GroupName: group } : {}),
      ScheduleExpression: "cron(0 2 * * ? *)",
      FlexibleTimeWindow: { Mode: "OFF" },
      Target: {
        Arn: "arn:aws:lambda:us-east-1:123456789012:function:student-nightly-update",
        RoleArn: "arn:aws:iam::123456789012:role/student-scheduler-role",
      },
    }),
  );
}

const scheduleExists = (name: string, group?: string) =>
  scheduler()
    .send(new GetScheduleCommand({ Name: name, ...(group ? { GroupName: group } : {}) }))
    .then(
      () => true,
      () => false,
    );

describe("scheduler.schedule on moto", () => {
  it("finds schedules in every group and deletes the one selected in its own group", async () => {
    await scheduler().send(new CreateScheduleGroupCommand({ Name: "student-schedules" }));
    await createSchedule("student-nightly-schedule", "student-schedules");
    await createSchedule("student-nightly-schedule");
    await createSchedule("other-project-schedule");

    const schedules = await collect(schedule.discover(ctx(), {}));
    expect(schedules.map((s) => s.id).sort()).toEqual([
      "default/other-project-schedule",
      "default/student-nightly-schedule",
      "student-schedules/student-nightly-schedule",
    ]);
    const inGroup = schedules.find((s) => s.id === "student-schedules/student-nightly-schedule")!;

    await schedule.delete(ctx(), await schedule.describe!(ctx(), inGroup));

    expect(await schedule.verify(ctx(), inGroup)).toBe("gone");
    expect(await scheduleExists("student-nightly-schedule")).toBe(true);
    expect(await scheduleExists("other-project-schedule")).toBe(true);
    await expect(schedule.delete(ctx(), inGroup)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("deletes a schedule of the default group", async () => {
    await createSchedule("student-nightly-schedule");
    const [nightly] = await collect(
      schedule.discover(ctx(), { names: ["student-nightly-schedule"], prefix: "student-nightly-schedule" }),
    );

    await schedule.delete(ctx(), nightly!);

    expect(await scheduleExists("student-nightly-schedule")).toBe(false);
  });
});
