import {
  GetSubscriptionAttributesCommand,
  SNSClient,
  UnsubscribeCommand,
  paginateListSubscriptions,
  paginateListSubscriptionsByTopic,
  type Subscription,
} from "@aws-sdk/client-sns";
import {
  ProtectedError,
  classifiedCall,
  defineResource,
  readOrUndefined,
  type Found,
  type VerifyResult,
} from "@cleanup-runner/plugin-kit";
import { controlTowerReason, topicNameFromArn } from "../topic-names.js";

/** What ListSubscriptions shows instead of an ARN while the endpoint has not confirmed. */
const PENDING = "PendingConfirmation";
/** What it shows for up to 72 hours after another account unsubscribed it: nothing is left to delete. */
const DELETED = "Deleted";

/**
 * `sns.subscription`: one subscription to an SNS topic, removed with
 * Unsubscribe. Its name is `<topic name>/<protocol>/<endpoint>`.
 */
export const subscription = defineResource({
  type: "sns.subscription",
  description:
    "A subscription to an SNS topic, named `<topic name>/<protocol>/<endpoint>`, e.g. " +
    "`student-alerts/email/ops@example.com` or `student-alerts/sqs/arn:aws:sqs:us-east-1:123456789012:student-q`: " +
    "select a topic's subscriptions with `prefix: student-alerts/`, a protocol with `glob: '*/email/*'`, an " +
    "endpoint with `suffix` or `regex`. ListSubscriptions cannot filter, so every subscription of the region " +
    "is listed. Subscriptions have no tags and no creation time (`tags` and `olderThan` never select one). A " +
    "subscription still pending confirmation has no ARN and cannot be unsubscribed: it is planned as protected " +
    "(SNS deletes it after 48 hours, or with its topic). No order against `sns.topic` is needed: DeleteTopic " +
    "takes a topic's subscriptions with it, and unsubscribing one whose topic is already gone is harmless.",
  scope: "regional",
  deletesWith: ["its filter policy, redrive policy and delivery settings"],
  // Unsubscribe is throttled at 100 transactions per second (per account and region).
  rateBudgets: [{ key: "sns:Unsubscribe", calls: 100, perMs: 1000, scope: "region" }],

  // ListSubscriptions has no filter: the hints cannot be pushed down.
  async *discover(ctx) {
    const client = ctx.client(SNSClient);
    for await (const page of paginateListSubscriptions({ client }, {})) {
      for (const listed of page.Subscriptions ?? []) {
        const found = toFound(listed);
        if (found) yield found;
      }
    }
  },

  // Everything came with ListSubscriptions: no API call here.
  async describe(_ctx, found) {
    if (!isPending(found)) return found;
    return {
      ...found,
      protectedReason:
        "pending confirmation: SNS gives it no ARN until the endpoint confirms, so it cannot be unsubscribed",
      notes: ["SNS deletes an unconfirmed subscription after 48 hours; deleting its topic removes it at once"],
    };
  },

  async delete(ctx, found) {
    if (isPending(found)) {
      throw new ProtectedError(`subscription ${found.name} is pending confirmation and cannot be unsubscribed`);
    }
    const client = ctx.client(SNSClient);
    // Unsubscribe of a subscription already gone succeeds (whatever the API reference's error list says),
    // so a second run simply succeeds; a NotFound, should it come, counts as deleted too.
    await classifiedCall(`Unsubscribe ${found.name}`, () =>
      client.send(new UnsubscribeCommand({ SubscriptionArn: found.id })),
    );
  },

  async verify(ctx, found) {
    const client = ctx.client(SNSClient);
    if (isPending(found)) return verifyPending(client, found);
    // NotFound also when its topic was deleted ("Topic does not exist"), even while SNS still lists it.
    const attributes = await readOrUndefined(() =>
      client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: found.id })),
    );
    return attributes ? "present" : "gone";
  },

  protectedReason: (found) => controlTowerReason(topicName(found)),
});

function toFound(listed: Subscription): Found | undefined {
  const { SubscriptionArn, TopicArn, Protocol, Endpoint, Owner } = listed;
  if (!SubscriptionArn || !TopicArn || !Protocol || Endpoint === undefined || SubscriptionArn === DELETED) {
    return undefined;
  }
  const pending = SubscriptionArn === PENDING;
  const name = `${topicNameFromArn(TopicArn)}/${Protocol}/${Endpoint}`;
  return {
    // A topic never has two subscriptions of one protocol and endpoint, so the name names a pending one.
    id: pending ? `${PENDING}/${TopicArn}/${Protocol}/${Endpoint}` : SubscriptionArn,
    name,
    ...(pending ? {} : { arn: SubscriptionArn }),
    // Subscriptions cannot be tagged: a `tags` selector never matches one.
    tags: {},
    details: {
      topicArn: TopicArn,
      protocol: Protocol,
      endpoint: Endpoint,
      ...(Owner ? { owner: Owner } : {}),
      ...(pending ? { pendingConfirmation: true } : {}),
    },
  };
}

function isPending(found: Found): boolean {
  return found.details?.pendingConfirmation === true;
}

function topicName(found: Found): string {
  const topicArn = found.details?.topicArn;
  return typeof topicArn === "string" ? topicNameFromArn(topicArn) : found.name.split("/")[0]!;
}

/**
 * A pending subscription has no ARN to read: look for its protocol and
 * endpoint among its topic's subscriptions (confirmed since, it is still there).
 */
async function verifyPending(client: SNSClient, found: Found): Promise<VerifyResult> {
  const { topicArn, protocol, endpoint } = found.details as { topicArn: string; protocol: string; endpoint: string };
  const isThisOne = (s: Subscription) =>
    s.Protocol === protocol && s.Endpoint === endpoint && s.SubscriptionArn !== DELETED;
  const listed = await readOrUndefined(
    async () => {
      for await (const page of paginateListSubscriptionsByTopic({ client }, { TopicArn: topicArn })) {
        if ((page.Subscriptions ?? []).some(isThisOne)) return true;
      }
      return false;
    },
    `ListSubscriptionsByTopic ${topicNameFromArn(topicArn)}`,
  );
  // Undefined: the topic is gone, and its subscriptions with it.
  return listed ? "present" : "gone";
}
