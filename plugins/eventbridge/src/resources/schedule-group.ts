import {
  DeleteScheduleGroupCommand,
  GetScheduleGroupCommand,
  ListTagsForResourceCommand,
  SchedulerClient,
  paginateListScheduleGroups,
  paginateListSchedules,
} from "@aws-sdk/client-scheduler";
import {
  classifiedCall,
  classifiedPages,
  defineResource,
  readOrUndefined,
  tagRecord,
} from "@cleanup-runner/plugin-kit";
import { sample } from "../plan-notes.js";

const defaultGroup = "default";

/** An EventBridge Scheduler schedule group; deleting it deletes its schedules. */
export const scheduleGroup = defineResource({
  type: "scheduler.schedule-group",
  description:
    "EventBridge Scheduler schedule groups, with every schedule in them. The default group is never deleted.",
  scope: "regional",
  // A schedule selected on its own goes first; the group takes whatever is left.
  dependsOn: ["scheduler.schedule"],
  deletesWith: ["schedules"],
  // DeleteScheduleGroup is asynchronous: the group stays DELETING until its schedules are gone.
  pollIntervalMs: 5_000,

  async *discover(ctx, hints) {
    const namePrefix = hints.prefix;
    const listing = paginateListScheduleGroups(
      { client: ctx.client(SchedulerClient), pageSize: 100 },
      namePrefix ? { NamePrefix: namePrefix } : {},
    );
    for await (const page of classifiedPages("ListScheduleGroups", listing)) {
      for (const group of page.ScheduleGroups ?? []) {
        if (!group.Name) continue;
        yield {
          id: group.Name,
          name: group.Name,
          ...(group.Arn ? { arn: group.Arn } : {}),
          ...(group.CreationDate ? { createdAt: group.CreationDate.toISOString() } : {}),
        };
      }
    }
  },

  async readTags(ctx, found) {
    const client = ctx.client(SchedulerClient);
    const answer = await readOrUndefined(() => client.send(new ListTagsForResourceCommand({ ResourceArn: found.arn })));
    return tagRecord(answer?.Tags);
  },

  protectedReason(found) {
    return found.name === defaultGroup
      ? "the default schedule group cannot be deleted (its schedules can: select them with scheduler.schedule)"
      : undefined;
  },

  async describe(ctx, found) {
    const client = ctx.client(SchedulerClient);
    const names = await readOrUndefined(async () => {
      const listed: string[] = [];
      for await (const page of paginateListSchedules({ client, pageSize: 100 }, { GroupName: found.name })) {
        for (const s of page.Schedules ?? []) if (s.Name) listed.push(s.Name);
      }
      return listed;
    }, `ListSchedules in ${found.name}`);
    // The group went since it was listed.
    if (!names) return found;
    return {
      ...found,
      children: [{ kind: "schedules", count: names.length, ...(names.length ? { note: sample(names) } : {}) }],
      notes: ["the group is DELETING until every schedule in it is gone"],
    };
  },

  async delete(ctx, found) {
    await classifiedCall(`DeleteScheduleGroup ${found.name}`, () =>
      ctx.client(SchedulerClient).send(new DeleteScheduleGroupCommand({ Name: found.name })),
    );
  },

  async verify(ctx, found) {
    const client = ctx.client(SchedulerClient);
    const group = await readOrUndefined(() => client.send(new GetScheduleGroupCommand({ Name: found.name })));
    if (!group) return "gone";
    return group.State === "DELETING" ? "deleting" : "present";
  },
});
