import {
  DeleteArchiveCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  ListArchivesCommand,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  ListTagsForResourceCommand,
  RemoveTargetsCommand,
  type EventBridgeClientResolvedConfig,
  type RemoveTargetsResultEntry,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from "@aws-sdk/client-eventbridge";
import type { AwsStub } from "aws-sdk-client-mock";

/** An AWS error as the SDK throws it: a name and an HTTP status. */
export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

interface FakeRule {
  managedBy?: string;
  targets: string[];
  tags: Record<string, string>;
}

interface FakeBus {
  rules: Map<string, FakeRule>;
  tags: Record<string, string>;
}

const region = "us-east-1";
const account = "123456789012";
const busArn = (bus: string) => `arn:aws:events:${region}:${account}:event-bus/${bus}`;
const ruleArn = (bus: string, rule: string) =>
  `arn:aws:events:${region}:${account}:rule/${bus === "default" ? "" : `${bus}/`}${rule}`;

/** One page of `items` from the position `token` names. */
function page<T>(items: readonly T[], token: string | undefined, size: number) {
  const start = token ? Number(token) : 0;
  const next = start + size < items.length ? String(start + size) : undefined;
  return { items: items.slice(start, start + size), next };
}

/**
 * A small EventBridge account for unit tests, answering as the API reference
 * says AWS does: every list pages (small pages here, to exercise paging),
 * RemoveTargets takes at most 10 ids and can fail per entry, DeleteRule
 * refuses a rule with targets, managed rules refuse changes without Force,
 * DeleteEventBus refuses a bus with rules, DeleteRule and DeleteEventBus
 * succeed for names that do not exist.
 */
export class FakeEventBridge {
  readonly buses = new Map<string, FakeBus>();
  readonly archives = new Map<string, { source: string }>();
  /** Target ids whose next RemoveTargets entries fail, and how many times. */
  readonly failingTargets = new Map<string, number>();
  pageSize = 2;

  /** `withDefaultBus: false` leaves out the bus every account has, for suites that seed exact contents. */
  constructor(options: { withDefaultBus?: boolean } = {}) {
    if (options.withDefaultBus ?? true) this.addBus("default");
  }

  addBus(name: string, tags: Record<string, string> = {}): this {
    this.buses.set(name, { rules: new Map(), tags });
    return this;
  }

  addRule(
    bus: string,
    name: string,
    targets: number,
    options: { managedBy?: string; tags?: Record<string, string> } = {},
  ): this {
    const targetIds = Array.from({ length: targets }, (_, i) => `${name}-target-${i + 1}`);
    this.bus(bus).rules.set(name, {
      targets: targetIds,
      tags: options.tags ?? {},
      ...(options.managedBy ? { managedBy: options.managedBy } : {}),
    });
    return this;
  }

  /** An archive of a bus, with the managed rule AWS puts on the bus for it. */
  addArchive(name: string, bus: string): this {
    this.archives.set(name, { source: busArn(bus) });
    return this.addRule(bus, `Events-Archive-${name}`, 1, { managedBy: "prod.vhs.events.aws.internal" });
  }

  private bus(name: string | undefined): FakeBus {
    const bus = this.buses.get(name ?? "default");
    if (!bus) throw awsError("ResourceNotFoundException", `Event bus ${name} does not exist.`);
    return bus;
  }

  private rule(busName: string | undefined, name: string): FakeRule {
    const rule = this.bus(busName).rules.get(name);
    if (!rule) throw awsError("ResourceNotFoundException", `Rule ${name} does not exist on EventBus ${busName}.`);
    return rule;
  }

  /** Answers the stub's EventBridge calls from this account. */
  install(stub: AwsStub<ServiceInputTypes, ServiceOutputTypes, EventBridgeClientResolvedConfig>): this {
    stub.on(ListEventBusesCommand).callsFake((input: { NamePrefix?: string; NextToken?: string }) => {
      const names = [...this.buses.keys()].filter((n) => !input.NamePrefix || n.startsWith(input.NamePrefix));
      const { items, next } = page(names, input.NextToken, this.pageSize);
      return { EventBuses: items.map((n) => ({ Name: n, Arn: busArn(n) })), NextToken: next };
    });
    stub.on(DescribeEventBusCommand).callsFake((input: { Name?: string }) => {
      this.bus(input.Name);
      return { Name: input.Name, Arn: busArn(input.Name ?? "default") };
    });
    stub.on(ListRulesCommand).callsFake((input: { EventBusName?: string; NamePrefix?: string; NextToken?: string }) => {
      const bus = input.EventBusName ?? "default";
      const rules = [...this.bus(bus).rules].filter(([n]) => !input.NamePrefix || n.startsWith(input.NamePrefix));
      const { items, next } = page(rules, input.NextToken, this.pageSize);
      return {
        Rules: items.map(([n, r]) => ({
          Name: n,
          Arn: ruleArn(bus, n),
          EventBusName: bus,
          ...(r.managedBy ? { ManagedBy: r.managedBy } : {}),
        })),
        NextToken: next,
      };
    });
    stub.on(DescribeRuleCommand).callsFake((input: { Name: string; EventBusName?: string }) => {
      this.rule(input.EventBusName, input.Name);
      return { Name: input.Name, EventBusName: input.EventBusName ?? "default" };
    });
    stub
      .on(ListTargetsByRuleCommand)
      .callsFake((input: { Rule: string; EventBusName?: string; NextToken?: string }) => {
        const { items, next } = page(this.rule(input.EventBusName, input.Rule).targets, input.NextToken, this.pageSize);
        return {
          Targets: items.map((id) => ({ Id: id, Arn: `arn:aws:lambda:${region}:${account}:function:${id}` })),
          NextToken: next,
        };
      });
    stub
      .on(RemoveTargetsCommand)
      .callsFake((input: { Rule: string; EventBusName?: string; Ids: string[]; Force?: boolean }) => {
        if (input.Ids.length > 10) {
          throw awsError(
            "ValidationException",
            "1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length less than or equal to 10",
          );
        }
        const rule = this.rule(input.EventBusName, input.Rule);
        if (rule.managedBy && !input.Force) throw awsError("ManagedRuleException", `${input.Rule} is a managed rule.`);
        const failed: RemoveTargetsResultEntry[] = [];
        for (const id of input.Ids) {
          const failures = this.failingTargets.get(id) ?? 0;
          if (failures > 0) {
            this.failingTargets.set(id, failures - 1);
            failed.push({
              TargetId: id,
              ErrorCode: "ConcurrentModificationException",
              ErrorMessage: "too many requests",
            });
          } else {
            rule.targets = rule.targets.filter((t) => t !== id);
          }
        }
        return { FailedEntryCount: failed.length, FailedEntries: failed };
      });
    stub.on(DeleteRuleCommand).callsFake((input: { Name: string; EventBusName?: string; Force?: boolean }) => {
      const bus = this.bus(input.EventBusName);
      const rule = bus.rules.get(input.Name);
      if (!rule) return {};
      if (rule.managedBy && !input.Force) throw awsError("ManagedRuleException", `${input.Name} is a managed rule.`);
      if (rule.targets.length) throw awsError("ValidationException", "Rule can't be deleted since it has targets.");
      bus.rules.delete(input.Name);
      return {};
    });
    stub.on(ListArchivesCommand).callsFake((input: { EventSourceArn?: string; NextToken?: string }) => {
      const names = [...this.archives].filter(([, a]) => !input.EventSourceArn || a.source === input.EventSourceArn);
      const { items, next } = page(names, input.NextToken, this.pageSize);
      return { Archives: items.map(([n, a]) => ({ ArchiveName: n, EventSourceArn: a.source })), NextToken: next };
    });
    stub.on(DeleteArchiveCommand).callsFake((input: { ArchiveName: string }) => {
      const archive = this.archives.get(input.ArchiveName);
      if (!archive) throw awsError("ResourceNotFoundException", `Archive ${input.ArchiveName} does not exist.`);
      this.archives.delete(input.ArchiveName);
      this.bus(archive.source.split("/").pop()).rules.delete(`Events-Archive-${input.ArchiveName}`);
      return {};
    });
    stub.on(DeleteEventBusCommand).callsFake((input: { Name: string }) => {
      if (input.Name === "default") throw awsError("ValidationException", "Cannot delete event bus default.");
      const bus = this.buses.get(input.Name);
      if (!bus) return {};
      if (bus.rules.size) throw awsError("ValidationException", "EventBus can't be deleted since it has rules.");
      this.buses.delete(input.Name);
      return {};
    });
    stub.on(ListTagsForResourceCommand).callsFake((input: { ResourceARN: string }) => {
      for (const [busName, bus] of this.buses) {
        if (input.ResourceARN === busArn(busName))
          return { Tags: Object.entries(bus.tags).map(([Key, Value]) => ({ Key, Value })) };
        for (const [ruleName, rule] of bus.rules) {
          if (input.ResourceARN === ruleArn(busName, ruleName)) {
            return { Tags: Object.entries(rule.tags).map(([Key, Value]) => ({ Key, Value })) };
          }
        }
      }
      throw awsError("ResourceNotFoundException", `${input.ResourceARN} does not exist.`);
    });
    return this;
  }
}
