import {
  ConflictException,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
} from "@aws-sdk/client-scheduler";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { schedule } from "./schedule.js";

const scheduler = mockClient(SchedulerClient);
const ctx = () => testContext({ resource: schedule });
/** What the SDK needs to build a Scheduler error. */
const answer = (message: string) => ({ message, Message: message, $metadata: {} });
const arn = (group: string, name: string) => `arn:aws:scheduler:us-east-1:123456789012:schedule/${group}/${name}`;
const lambda = "arn:aws:lambda:us-east-1:123456789012:function:student-nightly-update";

/** ListSchedules as AWS pages it: three pages, MaxResults at most 100. */
function threePages() {
  scheduler.on(ListSchedulesCommand).callsFake((input: { MaxResults?: number; NextToken?: string }) => {
    if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 100)) {
      throw new ValidationException(answer("MaxResults"));
    }
    if (!input.NextToken) {
      return {
        Schedules: [
          {
            Name: "student-nightly-schedule",
            GroupName: "student-schedules",
            Arn: arn("student-schedules", "student-nightly-schedule"),
            CreationDate: new Date("2024-03-01T00:00:00Z"),
            Target: { Arn: lambda },
          },
        ],
        NextToken: "2",
      };
    }
    if (input.NextToken === "2") {
      return {
        Schedules: [
          { Name: "student-nightly-schedule", GroupName: "default", Arn: arn("default", "student-nightly-schedule") },
        ],
        NextToken: "3",
      };
    }
    return {
      Schedules: [
        { Name: "other-project-schedule", GroupName: "default", Arn: arn("default", "other-project-schedule") },
      ],
    };
  });
}

beforeEach(() => {
  scheduler.reset();
});

describe("scheduler.schedule", () => {
  it("follows every page, ids naming the group since names are unique per group only", async () => {
    threePages();

    const schedules = await collect(schedule.discover(ctx(), {}));

    expect(schedules.map((s) => s.id)).toEqual([
      "student-schedules/student-nightly-schedule",
      "default/student-nightly-schedule",
      "default/other-project-schedule",
    ]);
    expect(schedules[0]).toEqual({
      id: "student-schedules/student-nightly-schedule",
      name: "student-nightly-schedule",
      arn: arn("student-schedules", "student-nightly-schedule"),
      createdAt: "2024-03-01T00:00:00.000Z",
      tags: {},
      details: { groupName: "student-schedules", targetArn: lambda },
    });
    expect(scheduler).toHaveReceivedCommandTimes(ListSchedulesCommand, 3);
    expect(scheduler).toHaveReceivedNthCommandWith(ListSchedulesCommand, 3, { NextToken: "3", MaxResults: 100 });
  });

  it("pushes the prefix down, across all groups", async () => {
    threePages();

    await collect(schedule.discover(ctx(), { prefix: "student-" }));

    for (const call of scheduler.commandCalls(ListSchedulesCommand)) {
      expect(call.args[0].input).toMatchObject({ NamePrefix: "student-" });
      expect(call.args[0].input.GroupName).toBeUndefined();
    }
  });

  it("says the target stays", async () => {
    threePages();
    const [nightly] = await collect(schedule.discover(ctx(), {}));

    expect((await schedule.describe!(ctx(), nightly!)).notes).toEqual([
      "in schedule group student-schedules",
      `its target ${lambda} and execution role are not deleted with it`,
    ]);
  });

  it("deletes in the schedule's own group and counts a rerun as gone", async () => {
    threePages();
    const [, inDefault] = await collect(schedule.discover(ctx(), {}));
    scheduler
      .on(DeleteScheduleCommand)
      .resolvesOnce({})
      .rejects(new ResourceNotFoundException(answer("Schedule not found")));

    await schedule.delete(ctx(), inDefault!);
    await expect(schedule.delete(ctx(), inDefault!)).rejects.toMatchObject({ kind: "not-found" });

    expect(scheduler).toHaveReceivedCommandWith(DeleteScheduleCommand, {
      Name: "student-nightly-schedule",
      GroupName: "default",
    });
  });

  it("treats a conflict (its group being deleted) as pending", async () => {
    scheduler.on(DeleteScheduleCommand).rejects(new ConflictException(answer("group is being deleted")));

    await expect(schedule.delete(ctx(), { id: "g/s", name: "s", details: { groupName: "g" } })).rejects.toMatchObject({
      kind: "dependency-pending",
    });
  });

  it("verifies with GetSchedule in the schedule's group", async () => {
    scheduler
      .on(GetScheduleCommand)
      .resolvesOnce({ Name: "s", GroupName: "g" })
      .rejects(new ResourceNotFoundException(answer("not found")));
    const found = { id: "g/s", name: "s", details: { groupName: "g" } };

    expect(await schedule.verify(ctx(), found)).toBe("present");
    expect(await schedule.verify(ctx(), found)).toBe("gone");
    expect(scheduler).toHaveReceivedCommandWith(GetScheduleCommand, { Name: "s", GroupName: "g" });
  });
});
