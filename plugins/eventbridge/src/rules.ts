import {
  DeleteRuleCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  RemoveTargetsCommand,
  type EventBridgeClient,
  type Rule,
} from "@aws-sdk/client-eventbridge";
import {
  DependencyPendingError,
  ProtectedError,
  ThrottledError,
  classifyAwsError,
  isNotFound,
  pages,
} from "@cleanup-runner/plugin-kit";

/** A rule's address: rule names are unique per event bus only, so every call names the bus. */
export interface RuleAddress {
  readonly name: string;
  readonly eventBusName: string;
}

/** RemoveTargets takes at most 10 target ids per call. */
export const removeTargetsBatch = 10;

/**
 * How many times one delete attempt re-sends the entries RemoveTargets
 * reported as failed, before leaving the rest to the engine's backoff.
 */
export const failedEntryRetries = 3;

/** Every rule on a bus, page by page (EventBridge has no paginators in SDK v3). */
export async function* listRules(
  client: EventBridgeClient,
  eventBusName: string,
  namePrefix?: string,
): AsyncGenerator<Rule> {
  const listing = pages(
    (token: string | undefined) =>
      client.send(
        new ListRulesCommand({
          EventBusName: eventBusName,
          ...(namePrefix ? { NamePrefix: namePrefix } : {}),
          ...(token ? { NextToken: token } : {}),
          Limit: 100,
        }),
      ),
    (page) => page.NextToken,
  );
  try {
    for await (const page of listing) yield* page.Rules ?? [];
  } catch (error) {
    throw classifyAwsError(error, `ListRules on event bus ${eventBusName}`);
  }
}

/** Every target of a rule (its id and what it invokes), page by page. */
export async function listTargets(
  client: EventBridgeClient,
  rule: RuleAddress,
): Promise<{ id: string; arn: string }[]> {
  const targets: { id: string; arn: string }[] = [];
  const listing = pages(
    (token: string | undefined) =>
      client.send(
        new ListTargetsByRuleCommand({
          Rule: rule.name,
          EventBusName: rule.eventBusName,
          ...(token ? { NextToken: token } : {}),
          Limit: 100,
        }),
      ),
    (page) => page.NextToken,
  );
  try {
    for await (const page of listing) {
      for (const target of page.Targets ?? []) if (target.Id) targets.push({ id: target.Id, arn: target.Arn ?? "" });
    }
  } catch (error) {
    throw classifyAwsError(error, `ListTargetsByRule ${rule.eventBusName}/${rule.name}`);
  }
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
      let answer;
      try {
        answer = await client.send(
          new RemoveTargetsCommand({ Rule: rule.name, EventBusName: rule.eventBusName, Ids: batch }),
        );
      } catch (error) {
        throw classifyRuleError(error, `RemoveTargets ${rule.eventBusName}/${rule.name}`);
      }
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
 * Removes every target of a rule, then the rule. Throws NotFoundError when
 * the rule or its bus is gone (DeleteRule itself succeeds for a missing rule).
 */
export async function deleteRuleWithTargets(client: EventBridgeClient, rule: RuleAddress): Promise<void> {
  const targets = await listTargets(client, rule);
  await removeTargets(
    client,
    rule,
    targets.map((target) => target.id),
  );
  try {
    await client.send(new DeleteRuleCommand({ Name: rule.name, EventBusName: rule.eventBusName }));
  } catch (error) {
    throw classifyRuleError(error, `DeleteRule ${rule.eventBusName}/${rule.name}`);
  }
}

/** EventBridge's own meanings first: a managed rule, a rule that still has targets. */
function classifyRuleError(error: unknown, what: string): Error {
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
