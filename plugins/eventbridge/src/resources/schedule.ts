import {
  DeleteScheduleCommand,
  GetScheduleCommand,
  SchedulerClient,
  paginateListSchedules,
} from "@aws-sdk/client-scheduler";
import {
  classifiedCall,
  classifiedPages,
  defineResource,
  readOrUndefined,
  type Found,
} from "@cleanup-runner/plugin-kit";

function groupOf(found: Found): string {
  return (found.details?.groupName as string | undefined) ?? "default";
}

/** An EventBridge Scheduler schedule, in any schedule group. */
export const schedule = defineResource({
  type: "scheduler.schedule",
  description: "EventBridge Scheduler schedules in any schedule group, the default group included.",
  scope: "regional",

  async *discover(ctx, hints) {
    const namePrefix = hints.prefix;
    // Without GroupName, ListSchedules lists the schedules of every group.
    const listing = paginateListSchedules(
      { client: ctx.client(SchedulerClient), pageSize: 100 },
      namePrefix ? { NamePrefix: namePrefix } : {},
    );
    for await (const page of classifiedPages("ListSchedules", listing)) {
      for (const found of page.Schedules ?? []) {
        if (!found.Name) continue;
        const groupName = found.GroupName ?? "default";
        yield {
          // Schedule names are unique per group only.
          id: `${groupName}/${found.Name}`,
          name: found.Name,
          ...(found.Arn ? { arn: found.Arn } : {}),
          ...(found.CreationDate ? { createdAt: found.CreationDate.toISOString() } : {}),
          // Scheduler can tag schedule groups only, never schedules.
          tags: {},
          details: { groupName, ...(found.Target?.Arn ? { targetArn: found.Target.Arn } : {}) },
        };
      }
    }
  },

  async describe(_ctx, found) {
    const target = found.details?.targetArn as string | undefined;
    return {
      ...found,
      notes: [
        `in schedule group ${groupOf(found)}`,
        ...(target ? [`its target ${target} and execution role are not deleted with it`] : []),
      ],
    };
  },

  async delete(ctx, found) {
    await classifiedCall(`DeleteSchedule ${found.id}`, () =>
      ctx.client(SchedulerClient).send(new DeleteScheduleCommand({ Name: found.name, GroupName: groupOf(found) })),
    );
  },

  async verify(ctx, found) {
    const client = ctx.client(SchedulerClient);
    const answer = await readOrUndefined(() =>
      client.send(new GetScheduleCommand({ Name: found.name, GroupName: groupOf(found) })),
    );
    return answer ? "present" : "gone";
  },
});
