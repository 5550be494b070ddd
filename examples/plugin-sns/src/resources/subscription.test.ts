import {
  AuthorizationErrorException,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  NotFoundException,
  SNSClient,
  ThrottledException,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import type { Found } from "@cleanup-runner/plugin-kit";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { FakeSns } from "../testing/fake-sns.js";
import { subscription } from "./subscription.js";
import { topic } from "./topic.js";

const ctx = () => testContext({ resource: subscription });
const topicArnOf = (name: string) => `arn:aws:sns:us-east-1:123456789012:${name}`;
const queueArn = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;

const sns = new FakeSns(mockClient(SNSClient));

/** Lists the account and returns the subscription with this name. */
async function listed(name: string): Promise<Found> {
  const all = await collect(subscription.discover(ctx(), {}));
  const match = all.find((f) => f.name === name);
  if (!match) throw new Error(`${name} not listed; listed: ${all.map((f) => f.name).join(", ")}`);
  return match;
}

beforeEach(() => {
  sns.reset();
});

describe("sns.subscription discover", () => {
  it("follows every ListSubscriptions page and names each `<topic>/<protocol>/<endpoint>`", async () => {
    const alerts = sns.createTopic("student-alerts");
    for (let i = 0; i < 240; i++) sns.subscribe(alerts, "sqs", queueArn(`student-q-${i}`));
    const email = sns.subscribe(alerts, "email", "ops@example.com");

    const all = await collect(subscription.discover(ctx(), {}));

    expect(all).toHaveLength(241);
    expect(sns.mock).toHaveReceivedCommandTimes(ListSubscriptionsCommand, 3);
    expect(sns.mock).toHaveReceivedLastCommandWith(ListSubscriptionsCommand, { NextToken: "200" });
    expect(all.at(-1)).toEqual({
      id: email.arn,
      name: "student-alerts/email/ops@example.com",
      arn: email.arn,
      tags: {},
      details: {
        topicArn: alerts,
        protocol: "email",
        endpoint: "ops@example.com",
        owner: "123456789012",
      },
    });
    expect(all[0]?.name).toBe(`student-alerts/sqs/${queueArn("student-q-0")}`);
  });

  it("lists every subscription whatever the hints: ListSubscriptions cannot filter", async () => {
    sns.subscribe(sns.createTopic("student-alerts"), "email", "a@example.com");
    sns.subscribe(sns.createTopic("other-alerts"), "email", "b@example.com");
    const all = await collect(subscription.discover(ctx(), { prefix: "student-alerts/" }));
    expect(all.map((f) => f.name)).toEqual(["student-alerts/email/a@example.com", "other-alerts/email/b@example.com"]);
    expect(sns.mock).toHaveReceivedCommandExactlyOnceWith(ListSubscriptionsCommand, {});
  });

  it("gives a pending subscription, which has no ARN, an id of its own", async () => {
    const alerts = sns.createTopic("student-alerts");
    sns.subscribe(alerts, "email", "new@example.com", true);
    sns.subscribe(alerts, "email", "other@example.com", true);

    const all = await collect(subscription.discover(ctx(), {}));

    expect(all[0]).toEqual({
      id: `PendingConfirmation/${alerts}/email/new@example.com`,
      name: "student-alerts/email/new@example.com",
      tags: {},
      details: {
        topicArn: alerts,
        protocol: "email",
        endpoint: "new@example.com",
        owner: "123456789012",
        pendingConfirmation: true,
      },
    });
    expect(new Set(all.map((f) => f.id)).size).toBe(2);
  });

  it("skips what another account's Unsubscribe left as `Deleted`: nothing is left to delete", async () => {
    sns.mock.on(ListSubscriptionsCommand).resolves({
      Subscriptions: [
        { SubscriptionArn: "Deleted", TopicArn: topicArnOf("t"), Protocol: "sqs", Endpoint: queueArn("q") },
        {
          SubscriptionArn: `${topicArnOf("t")}:1`,
          TopicArn: topicArnOf("t"),
          Protocol: "sqs",
          Endpoint: queueArn("r"),
        },
      ],
    });
    const all = await collect(subscription.discover(ctx(), {}));
    expect(all.map((f) => f.name)).toEqual([`t/sqs/${queueArn("r")}`]);
  });
});

describe("sns.subscription describe", () => {
  it("adds nothing to a confirmed subscription, with no call", async () => {
    sns.subscribe(sns.createTopic("student-alerts"), "email", "ops@example.com");
    const found = await listed("student-alerts/email/ops@example.com");
    sns.mock.resetHistory();
    await expect(subscription.describe!(ctx(), found)).resolves.toEqual(found);
    expect(sns.mock.calls()).toHaveLength(0);
  });

  it("plans a pending subscription as protected: it cannot be unsubscribed", async () => {
    sns.subscribe(sns.createTopic("student-alerts"), "email", "new@example.com", true);
    const planned = await subscription.describe!(ctx(), await listed("student-alerts/email/new@example.com"));
    expect(planned.protectedReason).toMatch(/^pending confirmation: .* cannot be unsubscribed$/);
    expect(planned.notes).toEqual([
      "SNS deletes an unconfirmed subscription after 48 hours; deleting its topic removes it at once",
    ]);
  });

  it("protects subscriptions to Control Tower's topics whatever the manifest says", async () => {
    sns.subscribe(sns.createTopic("aws-controltower-SecurityNotifications"), "email", "audit@example.com");
    sns.subscribe(sns.createTopic("student-alerts"), "email", "ops@example.com");
    const [controlTower, student] = await collect(subscription.discover(ctx(), {}));
    expect(subscription.protectedReason!(controlTower!)).toMatch(/AWS Control Tower/);
    expect(subscription.protectedReason!(student!)).toBeUndefined();
  });
});

describe("sns.subscription delete", () => {
  it("unsubscribes with one call and leaves the topic and its other subscriptions", async () => {
    const alerts = sns.createTopic("student-alerts");
    const email = sns.subscribe(alerts, "email", "ops@example.com");
    sns.subscribe(alerts, "sqs", queueArn("student-q"));
    const found = await listed("student-alerts/email/ops@example.com");
    sns.mock.resetHistory();

    await subscription.delete(ctx(), found);

    expect(sns.mock).toHaveReceivedCommandExactlyOnceWith(UnsubscribeCommand, { SubscriptionArn: email.arn });
    expect(sns.mock.calls()).toHaveLength(1);
    expect(sns.subscriptionNames()).toEqual([`student-alerts/sqs/${queueArn("student-q")}`]);
    expect(sns.topicNames()).toEqual(["student-alerts"]);
  });

  it("succeeds again once it is gone: Unsubscribe of an unknown subscription is no error", async () => {
    sns.subscribe(sns.createTopic("student-alerts"), "email", "ops@example.com");
    const found = await listed("student-alerts/email/ops@example.com");
    await subscription.delete(ctx(), found);
    await expect(subscription.delete(ctx(), found)).resolves.toBeUndefined();
    await expect(subscription.verify(ctx(), found)).resolves.toBe("gone");
  });

  it("counts a NotFound from Unsubscribe (the API reference lists it) as already gone", async () => {
    sns.subscribe(sns.createTopic("student-alerts"), "email", "ops@example.com");
    const found = await listed("student-alerts/email/ops@example.com");
    sns.mock
      .on(UnsubscribeCommand)
      .rejects(new NotFoundException({ message: "Subscription does not exist", $metadata: { httpStatusCode: 404 } }));
    await expect(subscription.delete(ctx(), found)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("never calls Unsubscribe for a pending subscription", async () => {
    sns.subscribe(sns.createTopic("student-alerts"), "email", "new@example.com", true);
    const found = await listed("student-alerts/email/new@example.com");
    await expect(subscription.delete(ctx(), found)).rejects.toMatchObject({ kind: "protected" });
    expect(sns.mock).not.toHaveReceivedCommand(UnsubscribeCommand);
  });

  it("unsubscribes one whose topic was just deleted, which SNS still lists for a while", async () => {
    const alerts = sns.createTopic("student-alerts");
    sns.subscribe(alerts, "email", "ops@example.com");
    const found = await listed("student-alerts/email/ops@example.com");
    await topic.delete(testContext({ resource: topic }), { id: alerts, name: "student-alerts" });
    expect(sns.subscriptionNames()).toEqual(["student-alerts/email/ops@example.com"]);

    await expect(subscription.verify(ctx(), found)).resolves.toBe("gone");
    await subscription.delete(ctx(), found);
    expect(sns.subscriptionNames()).toEqual([]);
  });

  it("classifies throttling and a denied Unsubscribe", async () => {
    sns.subscribe(sns.createTopic("student-alerts"), "sqs", queueArn("other-account-q"));
    const found = await listed(`student-alerts/sqs/${queueArn("other-account-q")}`);
    sns.mock
      .on(UnsubscribeCommand)
      .rejectsOnce(new ThrottledException({ message: "Rate exceeded", $metadata: { httpStatusCode: 400 } }))
      .rejectsOnce(
        new AuthorizationErrorException({
          message: "User: arn:aws:iam::123456789012:user/x is not authorized to perform: SNS:Unsubscribe",
          $metadata: { httpStatusCode: 403 },
        }),
      );
    await expect(subscription.delete(ctx(), found)).rejects.toMatchObject({ kind: "throttled", retryable: true });
    await expect(subscription.delete(ctx(), found)).rejects.toMatchObject({ kind: "access-denied" });
  });
});

describe("sns.subscription verify", () => {
  it("reads a confirmed subscription with GetSubscriptionAttributes: present, then gone", async () => {
    const email = sns.subscribe(sns.createTopic("student-alerts"), "email", "ops@example.com");
    const found = await listed("student-alerts/email/ops@example.com");
    await expect(subscription.verify(ctx(), found)).resolves.toBe("present");
    expect(sns.mock).toHaveReceivedCommandWith(GetSubscriptionAttributesCommand, { SubscriptionArn: email.arn });
    await subscription.delete(ctx(), found);
    await expect(subscription.verify(ctx(), found)).resolves.toBe("gone");
  });

  it("finds a pending subscription among its topic's, and calls it gone with its topic", async () => {
    const alerts = sns.createTopic("student-alerts");
    for (let i = 0; i < 120; i++) sns.subscribe(alerts, "sqs", queueArn(`q-${i}`));
    sns.subscribe(alerts, "email", "new@example.com", true);
    const found = await listed("student-alerts/email/new@example.com");
    sns.mock.resetHistory();

    await expect(subscription.verify(ctx(), found)).resolves.toBe("present");
    expect(sns.mock).toHaveReceivedCommandTimes(ListSubscriptionsByTopicCommand, 2);
    expect(sns.mock).not.toHaveReceivedCommand(GetSubscriptionAttributesCommand);

    await topic.delete(testContext({ resource: topic }), { id: alerts, name: "student-alerts" });
    await expect(subscription.verify(ctx(), found)).resolves.toBe("gone");
  });

  it("throws a classified error when it cannot tell", async () => {
    sns.subscribe(sns.createTopic("student-alerts"), "email", "ops@example.com");
    const found = await listed("student-alerts/email/ops@example.com");
    sns.mock
      .on(GetSubscriptionAttributesCommand)
      .rejects(new ThrottledException({ message: "Rate exceeded", $metadata: { httpStatusCode: 400 } }));
    await expect(subscription.verify(ctx(), found)).rejects.toMatchObject({ kind: "throttled" });
  });
});
