import { DescribeRuleCommand, EventBridgeClient, ListTagsForResourceCommand } from "@aws-sdk/client-eventbridge";
import { defineResource, readOrUndefined, recordedStrings, tagRecord, type Found } from "@cleanup-runner/plugin-kit";
import { eventBusesForPlan } from "../event-buses.js";
import { sample } from "../plan-notes.js";
import { deleteRuleWithTargets, listRules, targetsForPlan, type RuleAddress } from "../rules.js";

/** The bus and name delete and verify address a rule by, from what discover recorded. */
function addressOf(found: Found): RuleAddress {
  return { name: found.name, eventBusName: (found.details?.eventBusName as string | undefined) ?? "default" };
}

/** An EventBridge rule on any bus, the default bus included. */
export const rule = defineResource({
  type: "eventbridge.rule",
  description:
    "EventBridge rules on any event bus (default included), with their targets. Managed rules are never deleted.",
  scope: "regional",
  deletesWith: ["targets"],

  async *discover(ctx, hints) {
    const client = ctx.client(EventBridgeClient);
    const namePrefix = hints.prefix;
    for (const bus of await eventBusesForPlan(client)) {
      if (!bus.Name) continue;
      for await (const found of listRules(client, bus.Name, namePrefix)) {
        if (!found.Name || !found.Arn) continue;
        yield {
          // Rule names are unique per bus only; the ARN names the bus too.
          id: found.Arn,
          name: found.Name,
          arn: found.Arn,
          details: { eventBusName: bus.Name, ...(found.ManagedBy ? { managedBy: found.ManagedBy } : {}) },
        };
      }
    }
  },

  async readTags(ctx, found) {
    const client = ctx.client(EventBridgeClient);
    const answer = await readOrUndefined(() => client.send(new ListTagsForResourceCommand({ ResourceARN: found.arn })));
    return tagRecord(answer?.Tags);
  },

  async describe(ctx, found) {
    const targets = await readOrUndefined(() => targetsForPlan(ctx.client(EventBridgeClient), addressOf(found)));
    if (!targets) return found;
    const invoked = targets.map((target) => target.arn);
    return {
      ...found,
      // Delete removes these; a target added after the plan makes DeleteRule refuse, and is then read.
      details: { ...found.details, targetIds: targets.map((target) => target.id) },
      children: [{ kind: "targets", count: targets.length, ...(targets.length ? { note: sample(invoked, 3) } : {}) }],
      ...(targets.length
        ? { notes: ["what the targets invoke (functions, queues, ...) is not deleted with the rule"] }
        : {}),
    };
  },

  protectedReason(found) {
    const managedBy = found.details?.managedBy as string | undefined;
    return managedBy ? `managed by ${managedBy}: it goes when that service removes it` : undefined;
  },

  async delete(ctx, found) {
    await deleteRuleWithTargets(
      ctx.client(EventBridgeClient),
      addressOf(found),
      recordedStrings(found.details?.targetIds),
    );
  },

  async verify(ctx, found) {
    const { name, eventBusName } = addressOf(found);
    const client = ctx.client(EventBridgeClient);
    const answer = await readOrUndefined(() =>
      client.send(new DescribeRuleCommand({ Name: name, EventBusName: eventBusName })),
    );
    return answer ? "present" : "gone";
  },
});
