import {
  DeleteArchiveCommand,
  DeleteEventBusCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  ListArchivesCommand,
  ListTagsForResourceCommand,
  type Rule,
} from "@aws-sdk/client-eventbridge";
import {
  classifiedCall,
  classifyAwsError,
  defineResource,
  DependencyPendingError,
  ProtectedError,
  readOrUndefined,
  recordedStrings,
  removeUnlessGone,
  tagRecord,
  type Child,
  type Found,
  type ResourceContext,
  type ResourceError,
} from "@cleanup-runner/plugin-kit";
import { eventBusesForPlan } from "../event-buses.js";
import { listAll } from "../listing.js";
import { sample } from "../plan-notes.js";
import { deleteRuleWithTargets, listRules, targetsForPlan } from "../rules.js";

const defaultBus = "default";

function busArn(ctx: ResourceContext, found: Found): string {
  return found.arn ?? `arn:${ctx.partition}:events:${ctx.region}:${ctx.accountId}:event-bus/${found.name}`;
}

/** The names of the archives that record this bus's events. */
async function listArchiveNames(client: EventBridgeClient, eventSourceArn: string): Promise<string[]> {
  const names: string[] = [];
  const listing = listAll(
    `ListArchives for ${eventSourceArn}`,
    (token) =>
      client.send(
        new ListArchivesCommand({ EventSourceArn: eventSourceArn, ...(token ? { NextToken: token } : {}), Limit: 100 }),
      ),
    (page) => page.Archives,
  );
  for await (const archive of listing) if (archive.ArchiveName) names.push(archive.ArchiveName);
  return names;
}

/**
 * EventBridge's own meaning first: DeleteEventBus refuses a bus that "has
 * rules", and rules deleted a moment ago (or an archive's managed rule) can
 * still count, so that is worth waiting for.
 */
function classifyBusError(error: unknown, what = ""): ResourceError {
  const e = error as { name?: string; message?: string };
  if (e.name === "ValidationException" && /has rules/i.test(e.message ?? "")) {
    return new DependencyPendingError(`${what}: ${e.message}`, { cause: error });
  }
  return classifyAwsError(error, what);
}

/** The managed rule `Events-Archive-<archive>` an archive puts on its bus (DeleteArchive removes it). */
const archiveRulePrefix = "Events-Archive-";

/** A bus's rules, split by who may delete them, and its archives. */
function busContents(rules: readonly Rule[], archives: string[]) {
  const archiveRules = new Set(archives.map((archive) => `${archiveRulePrefix}${archive}`));
  return {
    archives,
    ownRules: rules.filter((r) => !r.ManagedBy),
    foreignManagedRules: rules.filter((r) => r.ManagedBy && !archiveRules.has(r.Name ?? "")),
  };
}

async function listBusRules(client: EventBridgeClient, name: string): Promise<Rule[]> {
  const rules: Rule[] = [];
  for await (const found of listRules(client, name)) rules.push(found);
  return rules;
}

/** What is on a bus: its rules, split by who may delete them, and its archives. */
async function readBusContents(client: EventBridgeClient, name: string, arn: string) {
  return busContents(await listBusRules(client, name), await listArchiveNames(client, arn));
}

function foreignRulesReason(rules: readonly Rule[]): string {
  const which = rules.map((r) => `${r.Name} (${r.ManagedBy})`).join(", ");
  return `rules managed by AWS services are on it: ${which}; they go when those services remove them`;
}

/** A custom (or partner) EventBridge event bus with its rules, their targets and its archives. */
export const eventBus = defineResource({
  type: "eventbridge.event-bus",
  description: "Custom EventBridge event buses, with their rules, the rules' targets and the bus's archives.",
  scope: "regional",
  // A rule selected on its own goes first; whatever is left on the bus goes with it.
  dependsOn: ["eventbridge.rule"],
  deletesWith: ["rules", "targets", "archives"],

  async *discover(ctx) {
    // The default bus is listed too, so that a plan selecting it says why it stays. The
    // listing is the region's, shared with the rule discover, rather than one by name prefix.
    for (const bus of await eventBusesForPlan(ctx.client(EventBridgeClient))) {
      if (!bus.Name) continue;
      yield {
        id: bus.Name,
        name: bus.Name,
        ...(bus.Arn ? { arn: bus.Arn } : {}),
        ...(bus.CreationTime ? { createdAt: bus.CreationTime.toISOString() } : {}),
      };
    }
  },

  async readTags(ctx, found) {
    const client = ctx.client(EventBridgeClient);
    const answer = await readOrUndefined(() =>
      client.send(new ListTagsForResourceCommand({ ResourceARN: busArn(ctx, found) })),
    );
    return tagRecord(answer?.Tags);
  },

  protectedReason(found) {
    return found.name === defaultBus ? "the default event bus cannot be deleted (its rules can)" : undefined;
  },

  async describe(ctx, found) {
    const client = ctx.client(EventBridgeClient);
    const contents = await readOrUndefined(() => readBusContents(client, found.name, busArn(ctx, found)));
    if (!contents) return found;
    // A Map, then Object.fromEntries: a rule may be named "__proto__", which an assignment would
    // take for the record's prototype (neither counted nor saved in the plan).
    const ruleTargets = new Map<string, string[]>();
    for (const r of contents.ownRules) {
      const targets = await targetsForPlan(client, { name: r.Name ?? "", eventBusName: found.name });
      ruleTargets.set(
        r.Name ?? "",
        targets.map((target) => target.id),
      );
    }
    const targets = [...ruleTargets.values()].reduce((sum, ids) => sum + ids.length, 0);
    const ruleNames = contents.ownRules.map((r) => r.Name ?? "");
    const children: Child[] = [
      { kind: "rules", count: ruleNames.length, ...(ruleNames.length ? { note: sample(ruleNames) } : {}) },
      { kind: "targets", count: targets },
      {
        kind: "archives",
        count: contents.archives.length,
        ...(contents.archives.length ? { note: sample(contents.archives) } : {}),
      },
    ];
    return {
      ...found,
      children,
      // Delete uses these, for what is still on the bus then (the rules read fresh).
      details: { ...found.details, archives: contents.archives, ruleTargets: Object.fromEntries(ruleTargets) },
      ...(contents.foreignManagedRules.length
        ? { protectedReason: foreignRulesReason(contents.foreignManagedRules) }
        : {}),
    };
  },

  async delete(ctx, found) {
    if (found.name === defaultBus) throw new ProtectedError("the default event bus cannot be deleted");
    const client = ctx.client(EventBridgeClient);
    // Read everything first: a bus that cannot be emptied is left untouched. The rules are read
    // fresh (those selected on their own are gone by now, and a managed rule may have come); the
    // archives are the plan's when the bus holds the managed rules of exactly those. Otherwise they
    // are listed by the bus's ARN: one made since, or one gone since, whose name (DeleteArchive
    // takes nothing else) another bus's archive may have taken.
    const rules = await listBusRules(client, found.name);
    const plannedArchives = recordedStrings(found.details?.archives);
    const archivesOnBus = rules
      .filter((r) => r.ManagedBy && r.Name?.startsWith(archiveRulePrefix))
      .map((r) => (r.Name ?? "").slice(archiveRulePrefix.length));
    const asPlanned =
      plannedArchives !== undefined &&
      archivesOnBus.length === new Set(plannedArchives).size &&
      archivesOnBus.every((archive) => plannedArchives.includes(archive));
    const archiveNames = asPlanned ? archivesOnBus : await listArchiveNames(client, busArn(ctx, found));
    const { archives, ownRules, foreignManagedRules } = busContents(rules, archiveNames);
    if (foreignManagedRules.length)
      throw new ProtectedError(`event bus ${found.name}: ${foreignRulesReason(foreignManagedRules)}`);
    const ruleTargets = found.details?.ruleTargets as Record<string, unknown> | undefined;
    // An archive or a rule that went meanwhile is not the bus going.
    for (const archive of archives) {
      ctx.progress(`deleting archive ${archive}`);
      await removeUnlessGone(`DeleteArchive ${archive}`, () =>
        client.send(new DeleteArchiveCommand({ ArchiveName: archive })),
      );
    }
    for (const { Name: ruleName } of ownRules) {
      if (!ruleName) continue;
      ctx.progress(`deleting rule ${ruleName}`);
      await removeUnlessGone(`DeleteRule ${ruleName}`, () =>
        deleteRuleWithTargets(
          client,
          { name: ruleName, eventBusName: found.name },
          recordedStrings(typeof ruleTargets === "object" ? ruleTargets?.[ruleName] : undefined),
        ),
      );
    }
    await classifiedCall(
      `DeleteEventBus ${found.name}`,
      () => client.send(new DeleteEventBusCommand({ Name: found.name })),
      classifyBusError,
    );
  },

  async verify(ctx, found) {
    const client = ctx.client(EventBridgeClient);
    const answer = await readOrUndefined(() => client.send(new DescribeEventBusCommand({ Name: found.name })));
    return answer ? "present" : "gone";
  },
});
