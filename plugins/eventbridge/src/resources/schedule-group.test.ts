import {
  DeleteScheduleGroupCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ThrottlingException,
} from "@aws-sdk/client-scheduler";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { FakeScheduler } from "../testing/fake-scheduler.js";
import { regionWidePageLimit, scheduleGroup } from "./schedule-group.js";

const scheduler = mockClient(SchedulerClient);
const ctx = () => testContext({ resource: scheduleGroup });
/** What the SDK needs to build a Scheduler error. */
const answer = (message: string) => ({ message, Message: message, $metadata: {} });
const arn = (name: string) => `arn:aws:scheduler:us-east-1:123456789012:schedule-group/${name}`;
const student = { id: "student-schedules", name: "student-schedules", arn: arn("student-schedules") };

beforeEach(() => {
  scheduler.reset();
});

describe("scheduler.schedule-group", () => {
  it("follows every page of groups; the default group is protected", async () => {
    scheduler
      .on(ListScheduleGroupsCommand)
      .resolvesOnce({ ScheduleGroups: [{ Name: "default", Arn: arn("default"), State: "ACTIVE" }], NextToken: "2" })
      .resolvesOnce({
        ScheduleGroups: [
          { Name: "student-schedules", Arn: arn("student-schedules"), CreationDate: new Date("2024-03-01T00:00:00Z") },
        ],
      });

    const groups = await collect(
      scheduleGroup.discover(ctx(), { names: ["student-schedules"], prefix: "student-schedules" }),
    );

    expect(groups).toEqual([
      { id: "default", name: "default", arn: arn("default") },
      { ...student, createdAt: "2024-03-01T00:00:00.000Z" },
    ]);
    expect(scheduler).toHaveReceivedNthCommandWith(ListScheduleGroupsCommand, 2, {
      NamePrefix: "student-schedules",
      NextToken: "2",
      MaxResults: 100,
    });
    expect(scheduleGroup.protectedReason!(groups[0]!)).toMatch(/default schedule group cannot be deleted/);
    expect(scheduleGroup.protectedReason!(groups[1]!)).toBeUndefined();
  });

  it("reads tags by ARN", async () => {
    scheduler
      .on(ListTagsForResourceCommand, { ResourceArn: student.arn })
      .resolves({ Tags: [{ Key: "workshop", Value: "student-system" }] });

    expect(await scheduleGroup.readTags!(ctx(), student)).toEqual({ workshop: "student-system" });
  });

  it("counts every group's schedules from one listing of the region's schedules, over every page", async () => {
    // Pages of 3: seven schedules take three pages.
    new FakeScheduler()
      .addSchedule("default", "other-project-schedule")
      .addGroup("student-schedules")
      .addSchedule("student-schedules", "student-nightly-schedule")
      .addSchedule("student-schedules", "student-weekly-schedule")
      .addGroup("student-b-schedules")
      .addSchedule("student-b-schedules", "b-1")
      .addSchedule("student-b-schedules", "b-2")
      .addSchedule("student-b-schedules", "b-3")
      .addSchedule("student-b-schedules", "b-4")
      .install(scheduler);
    const context = ctx();

    const [first, second] = await Promise.all([
      scheduleGroup.describe!(context, student),
      scheduleGroup.describe!(context, { id: "student-b-schedules", name: "student-b-schedules" }),
    ]);

    expect(first?.children).toEqual([
      { kind: "schedules", count: 2, note: "student-nightly-schedule, student-weekly-schedule" },
    ]);
    expect(second?.children).toEqual([{ kind: "schedules", count: 4, note: "b-1, b-2, b-3, b-4" }]);
    expect(scheduler).toHaveReceivedCommandTimes(ListSchedulesCommand, 3);
    for (const call of scheduler.commandCalls(ListSchedulesCommand)) {
      expect(call.args[0].input.GroupName).toBeUndefined();
      expect(call.args[0].input.NamePrefix).toBeUndefined();
    }
  });

  it("lists a group's schedules by GroupName when the region holds more pages than it reads at once", async () => {
    const fake = new FakeScheduler();
    fake.pageSize = 1;
    for (let i = 0; i < regionWidePageLimit + 1; i++) fake.addSchedule("default", `other-${i}`);
    fake
      .addGroup("student-schedules")
      .addSchedule("student-schedules", "student-nightly-schedule")
      .addSchedule("student-schedules", "student-weekly-schedule")
      .install(scheduler);

    const planned = await scheduleGroup.describe!(ctx(), student);

    expect(planned.children).toEqual([
      { kind: "schedules", count: 2, note: "student-nightly-schedule, student-weekly-schedule" },
    ]);
    const calls = scheduler.commandCalls(ListSchedulesCommand).map((call) => call.args[0].input.GroupName);
    expect(calls).toEqual([
      ...Array<undefined>(regionWidePageLimit).fill(undefined),
      "student-schedules",
      "student-schedules",
    ]);
  });

  it("deletes the group, which stays DELETING until its schedules are gone", async () => {
    scheduler.on(DeleteScheduleGroupCommand).resolves({});
    scheduler
      .on(GetScheduleGroupCommand)
      .resolvesOnce({ Name: student.name, State: "ACTIVE" })
      .resolvesOnce({ Name: student.name, State: "DELETING" })
      .rejects(new ResourceNotFoundException(answer("not found")));

    expect(await scheduleGroup.verify(ctx(), student)).toBe("present");
    await scheduleGroup.delete(ctx(), student);
    expect(await scheduleGroup.verify(ctx(), student)).toBe("deleting");
    expect(await scheduleGroup.verify(ctx(), student)).toBe("gone");
    expect(scheduler).toHaveReceivedCommandWith(DeleteScheduleGroupCommand, { Name: student.name });
  });

  it("counts a rerun as gone and classifies throttling", async () => {
    scheduler
      .on(DeleteScheduleGroupCommand)
      .rejectsOnce(new ResourceNotFoundException(answer("not found")))
      .rejects(new ThrottlingException(answer("slow down")));

    await expect(scheduleGroup.delete(ctx(), student)).rejects.toMatchObject({ kind: "not-found" });
    await expect(scheduleGroup.delete(ctx(), student)).rejects.toMatchObject({ kind: "throttled" });
  });
});
