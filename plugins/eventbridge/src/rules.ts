import {
  DeleteRuleCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  RemoveTargetsCommand,
  type EventBridgeClient,
  type Rule,
} from "@aws-sdk/client-eventbridge";
import {
  awsErrorBehind,
  classifiedCall,
  classifyAwsError,
  deleteWithPlannedChildren,
  DependencyPendingError,
  isNotFound,
  oncePerClientAndKey,
  ProtectedError,
  ThrottledError,
  type ResourceError,
} from "@cleanup-runner/plugin-kit";
import { listAll } from "./listing.js";

/** A rule's address: rule names are unique per event bus only, so every call names the bus. */
export interface RuleAddress {
  readonly name: string;
  readonly eventBusName: string;
}

/** RemoveTargets takes at most 10 target ids per call. */
const removeTargetsBatch = 10;

/**
 * How many times one delete attempt re-sends the entries RemoveTargets
 * reported as failed, before leaving the rest to the engine's backoff.
 */
export const failedEntryRetries = 3;

/** Every rule on a bus, page by page. */
export function listRules(client: EventBridgeClient, eventBusName: string, namePrefix?: string): AsyncGenerator<Rule> {
  return listAll(
    `ListRules on event bus ${eventBusName}`,
    (token) =>
      client.send(
        new ListRulesCommand({
          EventBusName: eventBusName,
          ...(namePrefix ? { NamePrefix: namePrefix } : {}),
          ...(token ? { NextToken: token } : {}),
          Limit: 100,
        }),
      ),
    (page) => page.Rules,
  );
}

/** Every target of a rule (its id and what it invokes), page by page. */
export async function listTargets(
  client: EventBridgeClient,
  rule: RuleAddress,
): Promise<{ id: string; arn: string }[]> {
  const targets: { id: string; arn: string }[] = [];
  const listing = listAll(
    `ListTargetsByRule ${rule.eventBusName}/${rule.name}`,
    (token) =>
      client.send(
        new ListTargetsByRuleCommand({
          Rule: rule.name,
          EventBusName: rule.eventBusName,
          ...(token ? { NextToken: token } : {}),
          Limit: 100,
        }),
      ),
    (page) => page.Targets,
  );
  for await (const target of listing) if (target.Id) targets.push({ id: target.Id, arn: target.Arn ?? "" });
  return targets;
}

/**
 * Removes targets from a rule, at most 10 ids a call. RemoveTargets can fail
 * partly (FailedEntryCount, FailedEntries): the failed entries are sent again
 * a bounded number of times; whatever still fails is thrown as a classified
 * error so the engine backs off and retries the delete.
 */
export async function removeTargets(
  client: EventBridgeClient,
  rule: RuleAddress,
  ids: readonly string[],
): Promise<void> {
  for (let start = 0; start < ids.length; start += removeTargetsBatch) {
    let batch = ids.slice(start, start + removeTargetsBatch);
    for (let retry = 0; ; retry++) {
      const answer = await classifiedCall(
        `RemoveTargets ${rule.eventBusName}/${rule.name}`,
        () => client.send(new RemoveTargetsCommand({ Rule: rule.name, EventBusName: rule.eventBusName, Ids: batch })),
        classifyRuleError,
      );
      if (!answer.FailedEntryCount) break;
      const entries = answer.FailedEntries ?? [];
      // A target that no longer exists is as good as removed.
      const failed = entries.filter((entry) => !isNotFound({ name: entry.ErrorCode }));
      if (entries.length > 0 && failed.length === 0) break;
      const failedIds = failed.map((entry) => entry.TargetId).filter((id): id is string => Boolean(id));
      // Without an id for every failure it is unknown which failed: send the whole batch again.
      if (failedIds.length > 0 && failedIds.length === failed.length) batch = failedIds;
      if (retry === failedEntryRetries) throw failedEntriesError(rule, answer.FailedEntryCount, failed);
    }
  }
}

function failedEntriesError(
  rule: RuleAddress,
  count: number,
  failed: readonly { TargetId?: string; ErrorCode?: string; ErrorMessage?: string }[],
): Error {
  const which = failed.map((entry) => `${entry.TargetId ?? "?"}: ${entry.ErrorCode ?? "unknown"}`).join(", ");
  const what = `RemoveTargets ${rule.eventBusName}/${rule.name}: ${count} target(s) not removed (${which || "no entries given"})`;
  const first = failed[0];
  // The API reference: ConcurrentModificationException here means too many requests at once.
  if (!first || first.ErrorCode === "ConcurrentModificationException") return new ThrottledError(what);
  return classifyAwsError({ name: first.ErrorCode, message: first.ErrorMessage }, what);
}

/**
 * The targets of a rule as planning reads them: the rule's describe and its
 * bus's describe both show them, so one listing per rule and run serves both.
 * A failed read is dropped, so that the next caller reads again.
 */
export const targetsForPlan = oncePerClientAndKey(
  (client: EventBridgeClient, rule: RuleAddress) => listTargets(client, rule),
  (rule) => `${rule.eventBusName}/${rule.name}`,
);

/**
 * Removes the targets of a rule, then the rule. `plannedTargetIds` are the
 * targets the plan saw (undefined: none recorded, they are listed now);
 * DeleteRule refuses while a target remains ("Rule can't be deleted since it
 * has targets"): then they are listed fresh and the delete is tried once
 * more. Throws NotFoundError when RemoveTargets or the listing finds the
 * rule or its bus gone; DeleteRule itself succeeds for a missing rule, so a
 * rule gone before a delete that had no targets to remove (the plan saw
 * none) returns as if deleted, and verify then finds it gone.
 */
export async function deleteRuleWithTargets(
  client: EventBridgeClient,
  rule: RuleAddress,
  plannedTargetIds?: readonly string[],
): Promise<void> {
  await deleteWithPlannedChildren(
    plannedTargetIds,
    async () => (await listTargets(client, rule)).map((target) => target.id),
    async (ids) => {
      await removeTargets(client, rule, ids);
      await classifiedCall(
        `DeleteRule ${rule.eventBusName}/${rule.name}`,
        () => client.send(new DeleteRuleCommand({ Name: rule.name, EventBusName: rule.eventBusName })),
        classifyRuleError,
      );
    },
    refusedForTargets,
  );
}

/** DeleteRule's refusal while the rule still has targets. */
function refusedForTargets(error: unknown): boolean {
  const refusal = awsErrorBehind(error);
  return refusal.name === "ValidationException" && /has targets/i.test(refusal.message ?? "");
}

/** EventBridge's own meanings first: a managed rule, a rule that still has targets. */
function classifyRuleError(error: unknown, what = ""): ResourceError {
  const e = error as { name?: string; message?: string };
  if (e.name === "ManagedRuleException") {
    // Only Force would change a managed rule, and it is never sent.
    return new ProtectedError(`${what}: ${e.message}`, { cause: error });
  }
  if (e.name === "ValidationException" && /has targets/i.test(e.message ?? "")) {
    // A target was added after the listing: the next attempt removes it.
    return new DependencyPendingError(`${what}: ${e.message}`, { cause: error });
  }
  return classifyAwsError(error, what);
}
