import {
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  SNSClient,
  paginateListSubscriptionsByTopic,
  paginateListTopics,
} from "@aws-sdk/client-sns";
import {
  DependencyPendingError,
  Type,
  classifiedCall,
  classifyAwsError,
  defineResource,
  readOrUndefined,
  tagRecord,
  type Child,
  type Found,
  type ResourceError,
} from "@cleanup-runner/plugin-kit";
import { controlTowerReason, isFifoTopicName, topicNameFromArn } from "../topic-names.js";

const options = Type.Object({
  countSubscriptions: Type.Boolean({
    default: true,
    description:
      "List each selected topic's subscriptions (ListSubscriptionsByTopic, 100 a page, 30 calls a second) so " +
      "the plan shows how many go with it, by protocol. Turn it off for topics with tens of thousands of " +
      "subscriptions: the plan then says they were not counted. Deleting is the same either way.",
  }),
});

/**
 * `sns.topic`: an SNS topic, standard or FIFO, deleted with DeleteTopic,
 * which takes the topic's subscriptions with it.
 */
export const topic = defineResource({
  type: "sns.topic",
  description:
    "An SNS topic, standard or FIFO, selected by its name (the last part of its ARN; FIFO names end in " +
    "`.fifo`). ListTopics cannot filter, so every topic of the region is listed and the selector applied to " +
    "the names; tags are read with ListTagsForResource only when an entry selects by tags. SNS records no " +
    "creation time, so `olderThan` never selects a topic. The plan counts the topic's subscriptions, which " +
    "DeleteTopic removes with it (pending ones included). Control Tower's `aws-controltower-*` topics are " +
    "never deleted.",
  scope: "regional",
  options,
  deletesWith: [
    "its subscriptions, confirmed or pending confirmation (SNS removes them asynchronously, shortly after)",
    "its access policy, delivery policy, data protection policy and, for a FIFO topic, its message archive",
  ],

  // ListTopics has no name filter: the hints cannot be pushed down.
  async *discover(ctx) {
    const client = ctx.client(SNSClient);
    for await (const page of paginateListTopics({ client }, {})) {
      for (const { TopicArn } of page.Topics ?? []) {
        if (!TopicArn) continue;
        const name = topicNameFromArn(TopicArn);
        yield { id: TopicArn, name, arn: TopicArn, details: { fifo: isFifoTopicName(name) } };
      }
    }
  },

  async readTags(ctx, found) {
    const client = ctx.client(SNSClient);
    const answer = await readOrUndefined(
      () => client.send(new ListTagsForResourceCommand({ ResourceArn: found.id })),
      `ListTagsForResource ${found.name}`,
    );
    // Deleted since it was listed (undefined): it has no tags left to select it by.
    return tagRecord(answer?.Tags);
  },

  async describe(ctx, found) {
    const notes: string[] = [];
    if (found.details?.fifo === true) {
      notes.push("a FIFO topic: messages kept in its archive (archive policy), if any, are deleted with it");
    }
    if (!ctx.options.countSubscriptions) {
      const uncounted: Child = { kind: "subscriptions", note: "not counted (option countSubscriptions is off)" };
      return { ...found, children: [uncounted], notes };
    }
    const subscriptions = await countSubscriptions(ctx.client(SNSClient), found);
    if (!subscriptions) return { ...found, notes: [...notes, "it was deleted while the plan was being made"] };
    if (subscriptions.count) {
      notes.push("SNS removes its subscriptions asynchronously: they may be listed for a short while after");
    }
    return { ...found, children: [subscriptions], notes };
  },

  async delete(ctx, found) {
    const client = ctx.client(SNSClient);
    // DeleteTopic is idempotent: a topic already gone is no error, so a second run simply succeeds.
    await classifiedCall(
      `DeleteTopic ${found.name}`,
      () => client.send(new DeleteTopicCommand({ TopicArn: found.id })),
      classifyTopicError,
    );
  },

  async verify(ctx, found) {
    const client = ctx.client(SNSClient);
    const attributes = await readOrUndefined(() => client.send(new GetTopicAttributesCommand({ TopicArn: found.id })));
    return attributes ? "present" : "gone";
  },

  protectedReason: (found) => controlTowerReason(found.name),
});

/**
 * The topic's subscriptions as one plan child: how many, by protocol, and how
 * many still wait for confirmation. `undefined` when the topic is gone.
 */
function countSubscriptions(client: SNSClient, found: Found): Promise<Child | undefined> {
  return readOrUndefined(async () => {
    const byProtocol = new Map<string, number>();
    let count = 0;
    let pending = 0;
    for await (const page of paginateListSubscriptionsByTopic({ client }, { TopicArn: found.id })) {
      for (const { SubscriptionArn, Protocol } of page.Subscriptions ?? []) {
        // "Deleted": what SNS shows for up to 72 hours after another account unsubscribed it.
        if (SubscriptionArn === "Deleted") continue;
        count++;
        if (SubscriptionArn === "PendingConfirmation") pending++;
        const protocol = Protocol ?? "unknown";
        byProtocol.set(protocol, (byProtocol.get(protocol) ?? 0) + 1);
      }
    }
    if (count === 0) return { kind: "subscriptions", count };
    const protocols = [...byProtocol].map(([protocol, n]) => `${n} ${protocol}`).join(", ");
    return {
      kind: "subscriptions",
      count,
      note: pending ? `${protocols}; ${pending} pending confirmation` : protocols,
    };
  }, `ListSubscriptionsByTopic ${found.name}`);
}

/**
 * SNS's own meanings first, then the kit's mapping: DeleteTopic's
 * "ConcurrentAccess" (another call is changing the topic's tags) and
 * "StaleTag" (a tag call raced a deleted topic of the same ARN) both say
 * wait a short while and try again, which the generic mapping would call fatal.
 */
function classifyTopicError(error: unknown, what = ""): ResourceError {
  const name = (error as { name?: string } | undefined)?.name ?? "";
  if (/^(ConcurrentAccess|StaleTag)(Exception)?$/.test(name)) {
    return new DependencyPendingError(`${what}: ${(error as Error).message}`, { cause: error });
  }
  return classifyAwsError(error, what);
}
