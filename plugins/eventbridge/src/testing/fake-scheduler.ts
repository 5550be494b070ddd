import {
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  ValidationException,
  type SchedulerClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from "@aws-sdk/client-scheduler";
import type { AwsStub } from "aws-sdk-client-mock";

const arn = (kind: string, name: string) => `arn:aws:scheduler:us-east-1:123456789012:${kind}/${name}`;
const notFound = (what: string) =>
  new ResourceNotFoundException({
    message: `${what} does not exist.`,
    Message: `${what} does not exist.`,
    $metadata: {},
  });

interface FakeGroup {
  state: "ACTIVE" | "DELETING";
  tags: Record<string, string>;
  schedules: Set<string>;
}

/**
 * A small EventBridge Scheduler account for unit tests, by the API reference:
 * lists page by NextToken with MaxResults 1-100 (pages here are smaller, to
 * exercise paging); ListSchedules without GroupName lists every group;
 * DeleteScheduleGroup leaves the group DELETING until `finishDeletes` (its
 * schedules go with it); only groups carry tags.
 */
export class FakeScheduler {
  readonly groups = new Map<string, FakeGroup>();
  pageSize = 3;

  /** `withDefaultGroup: false` leaves out the group every account has, for suites that seed exact contents. */
  constructor(options: { withDefaultGroup?: boolean } = {}) {
    if (options.withDefaultGroup ?? true) this.addGroup("default");
  }

  addGroup(name: string, tags: Record<string, string> = {}): this {
    this.groups.set(name, { state: "ACTIVE", tags, schedules: new Set() });
    return this;
  }

  addSchedule(group: string, name: string): this {
    this.group(group).schedules.add(name);
    return this;
  }

  /** Completes every asynchronous group delete: the group and its schedules are gone. */
  finishDeletes(): void {
    for (const [name, group] of this.groups) if (group.state === "DELETING") this.groups.delete(name);
  }

  private group(name: string | undefined): FakeGroup {
    const group = this.groups.get(name ?? "default");
    if (!group) throw notFound(`Schedule group ${name}`);
    return group;
  }

  private page<T>(items: readonly T[], input: { NextToken?: string; MaxResults?: number }) {
    if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 100)) {
      throw new ValidationException({ message: "MaxResults", Message: "MaxResults", $metadata: {} });
    }
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const end = start + Math.min(input.MaxResults ?? 100, this.pageSize);
    return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
  }

  /** Answers the stub's Scheduler calls from this account. */
  install(stub: AwsStub<ServiceInputTypes, ServiceOutputTypes, SchedulerClientResolvedConfig>): this {
    stub
      .on(ListSchedulesCommand)
      .callsFake((input: { GroupName?: string; NamePrefix?: string; NextToken?: string; MaxResults?: number }) => {
        const all = [...this.groups]
          .filter(([name]) => !input.GroupName || name === input.GroupName)
          .flatMap(([group, g]) => [...g.schedules].map((name) => ({ group, name })))
          .filter((s) => !input.NamePrefix || s.name.startsWith(input.NamePrefix));
        const { items, next } = this.page(all, input);
        return {
          Schedules: items.map((s) => ({
            Name: s.name,
            GroupName: s.group,
            Arn: arn("schedule", `${s.group}/${s.name}`),
          })),
          NextToken: next,
        };
      });
    stub.on(GetScheduleCommand).callsFake((input: { Name: string; GroupName?: string }) => {
      if (!this.group(input.GroupName).schedules.has(input.Name)) throw notFound(`Schedule ${input.Name}`);
      return { Name: input.Name, GroupName: input.GroupName ?? "default" };
    });
    stub.on(DeleteScheduleCommand).callsFake((input: { Name: string; GroupName?: string }) => {
      if (!this.group(input.GroupName).schedules.delete(input.Name)) throw notFound(`Schedule ${input.Name}`);
      return {};
    });
    stub
      .on(ListScheduleGroupsCommand)
      .callsFake((input: { NamePrefix?: string; NextToken?: string; MaxResults?: number }) => {
        const names = [...this.groups.keys()].filter((n) => !input.NamePrefix || n.startsWith(input.NamePrefix));
        const { items, next } = this.page(names, input);
        return {
          ScheduleGroups: items.map((n) => ({
            Name: n,
            Arn: arn("schedule-group", n),
            State: this.groups.get(n)!.state,
          })),
          NextToken: next,
        };
      });
    stub.on(GetScheduleGroupCommand).callsFake((input: { Name: string }) => {
      return { Name: input.Name, Arn: arn("schedule-group", input.Name), State: this.group(input.Name).state };
    });
    stub.on(DeleteScheduleGroupCommand).callsFake((input: { Name: string }) => {
      if (input.Name === "default") {
        throw new ValidationException({ message: "default group", Message: "default group", $metadata: {} });
      }
      this.group(input.Name).state = "DELETING";
      return {};
    });
    stub.on(ListTagsForResourceCommand).callsFake((input: { ResourceArn: string }) => {
      const name = [...this.groups.keys()].find((n) => arn("schedule-group", n) === input.ResourceArn);
      if (!name) throw notFound(input.ResourceArn);
      return { Tags: Object.entries(this.groups.get(name)!.tags).map(([Key, Value]) => ({ Key, Value })) };
    });
    return this;
  }
}
