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
  oncePerClient,
  readOrUndefined,
  tagRecord,
} from "@cleanup-runner/plugin-kit";
import { sample } from "../plan-notes.js";

const defaultGroup = "default";

/**
 * How many pages of the region's schedules planning reads at most to count
 * every group's schedules at once; past that (an account with thousands of
 * schedules) a listing per described group costs less.
 */
export const regionWidePageLimit = 10;

/**
 * The names of the schedules of every group in the region, by group, for the
 * plan: ListSchedules without GroupName (nor NamePrefix) lists the schedules
 * of every group, each with its GroupName, so one listing per run and region
 * serves every group's describe. `undefined` when the region holds more than
 * `regionWidePageLimit` pages of schedules.
 */
const regionSchedulesByGroup = oncePerClient(
  async (client: SchedulerClient): Promise<Map<string, string[]> | undefined> => {
    const byGroup = new Map<string, string[]>();
    let pages = 0;
    const listing = paginateListSchedules({ client, pageSize: 100 }, {});
    for await (const page of classifiedPages("ListSchedules", listing)) {
      for (const s of page.Schedules ?? []) {
        if (!s.Name) continue;
        const group = s.GroupName ?? defaultGroup;
        const names = byGroup.get(group) ?? [];
        byGroup.set(group, names);
        names.push(s.Name);
      }
      // The last page (no NextToken) ends the listing whatever the count.
      if (page.NextToken && ++pages === regionWidePageLimit) return undefined;
    }
    return byGroup;
  },
);

/** The names of one group's schedules, listed by GroupName; undefined when the group is gone. */
async function schedulesOfGroup(client: SchedulerClient, group: string): Promise<string[] | undefined> {
  return readOrUndefined(async () => {
    const listed: string[] = [];
    for await (const page of paginateListSchedules({ client, pageSize: 100 }, { GroupName: group })) {
      for (const s of page.Schedules ?? []) if (s.Name) listed.push(s.Name);
    }
    return listed;
  }, `ListSchedules in ${group}`);
}

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
    const byGroup = await regionSchedulesByGroup(client);
    const names = byGroup ? (byGroup.get(found.name) ?? []) : await schedulesOfGroup(client, found.name);
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
