import {
  AuthorizationErrorException,
  ConcurrentAccessException,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  SNSClient,
  StaleTagException,
  ThrottledException,
} from "@aws-sdk/client-sns";
import type { Found, Static } from "@cleanup-runner/plugin-kit";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { FakeSns } from "../testing/fake-sns.js";
import { topic } from "./topic.js";

type Options = Static<NonNullable<typeof topic.options>>;
const ctx = (options: Partial<Options> = {}) => testContext<Options>({ resource: topic, options });
const arnOf = (name: string) => `arn:aws:sns:us-east-1:123456789012:${name}`;
const found = (name: string, fifo = false): Found => ({
  id: arnOf(name),
  name,
  arn: arnOf(name),
  details: { fifo },
});

const sns = new FakeSns(mockClient(SNSClient));

beforeEach(() => {
  sns.reset();
});

describe("sns.topic discover", () => {
  it("follows every ListTopics page and names each topic after its ARN", async () => {
    for (let i = 0; i < 230; i++) sns.createTopic(`student-topic-${String(i).padStart(3, "0")}`);
    sns.createTopic("student-orders.fifo");

    const all = await collect(topic.discover(ctx(), {}));

    expect(all).toHaveLength(231);
    expect(sns.mock).toHaveReceivedCommandTimes(ListTopicsCommand, 3);
    expect(sns.mock).toHaveReceivedLastCommandWith(ListTopicsCommand, { NextToken: "200" });
    expect(all[0]).toEqual({
      id: arnOf("student-topic-000"),
      name: "student-topic-000",
      arn: arnOf("student-topic-000"),
      details: { fifo: false },
    });
    expect(all.at(-1)).toMatchObject({ name: "student-orders.fifo", details: { fifo: true } });
  });

  it("lists every topic whatever the hints: ListTopics cannot filter, the engine selects", async () => {
    sns.createTopic("student-alerts");
    sns.createTopic("other-alerts");
    const all = await collect(topic.discover(ctx(), { prefix: "student-", names: ["student-alerts"] }));
    expect(all.map((f) => f.name)).toEqual(["student-alerts", "other-alerts"]);
    expect(sns.mock).toHaveReceivedCommandExactlyOnceWith(ListTopicsCommand, {});
  });

  it("yields no tags: they are read with ListTagsForResource only when a selector needs them", async () => {
    sns.createTopic("student-alerts", { workshop: "student" });
    const [only] = await collect(topic.discover(ctx(), {}));
    expect(only?.tags).toBeUndefined();
    await expect(topic.readTags!(ctx(), only!)).resolves.toEqual({ workshop: "student" });
    expect(sns.mock).toHaveReceivedCommandWith(ListTagsForResourceCommand, { ResourceArn: arnOf("student-alerts") });
  });

  it("reads no tags of a topic deleted since it was listed", async () => {
    await expect(topic.readTags!(ctx(), found("gone"))).resolves.toEqual({});
  });

  it("classifies a denied ListTagsForResource", async () => {
    sns.mock.on(ListTagsForResourceCommand).rejects(
      new AuthorizationErrorException({
        message: "User: arn:aws:iam::123456789012:user/x is not authorized to perform: SNS:ListTagsForResource",
        $metadata: { httpStatusCode: 403 },
      }),
    );
    await expect(topic.readTags!(ctx(), found("student-alerts"))).rejects.toMatchObject({ kind: "access-denied" });
  });
});

describe("sns.topic describe", () => {
  it("counts the subscriptions across pages, by protocol, with those pending confirmation", async () => {
    const arn = sns.createTopic("student-alerts");
    for (let i = 0; i < 130; i++) sns.subscribe(arn, "sqs", arnOf(`q-${i}`).replace(":sns:", ":sqs:"));
    sns.subscribe(arn, "email", "ops@example.com", true);
    sns.subscribe(arn, "lambda", "arn:aws:lambda:us-east-1:123456789012:function:student-notify");
    const other = sns.createTopic("other-alerts");
    sns.subscribe(other, "email", "someone@example.com");

    const planned = await topic.describe!(ctx(), found("student-alerts"));

    expect(planned.children).toEqual([
      { kind: "subscriptions", count: 132, note: "130 sqs, 1 email, 1 lambda; 1 pending confirmation" },
    ]);
    expect(planned.notes).toEqual([
      "SNS removes its subscriptions asynchronously: they may be listed for a short while after",
    ]);
    expect(planned.protectedReason).toBeUndefined();
    expect(sns.mock).toHaveReceivedCommandTimes(ListSubscriptionsByTopicCommand, 2);
    expect(sns.mock).toHaveReceivedNthCommandWith(ListSubscriptionsByTopicCommand, 2, {
      TopicArn: arn,
      NextToken: "100",
    });
  });

  it("does not count what another account's Unsubscribe left as `Deleted`", async () => {
    sns.createTopic("student-alerts");
    sns.mock.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: [
        { SubscriptionArn: "Deleted", Protocol: "sqs", TopicArn: arnOf("student-alerts") },
        { SubscriptionArn: `${arnOf("student-alerts")}:1`, Protocol: "https", TopicArn: arnOf("student-alerts") },
      ],
    });
    const planned = await topic.describe!(ctx(), found("student-alerts"));
    expect(planned.children).toEqual([{ kind: "subscriptions", count: 1, note: "1 https" }]);
  });

  it("says a topic without subscriptions has none, and what goes with a FIFO topic", async () => {
    sns.createTopic("student-orders.fifo");
    const planned = await topic.describe!(ctx(), found("student-orders.fifo", true));
    expect(planned.children).toEqual([{ kind: "subscriptions", count: 0 }]);
    expect(planned.notes).toEqual([
      "a FIFO topic: messages kept in its archive (archive policy), if any, are deleted with it",
    ]);
  });

  it("with countSubscriptions off, makes no call and says so", async () => {
    const planned = await topic.describe!(ctx({ countSubscriptions: false }), found("student-alerts"));
    expect(planned.children).toEqual([
      { kind: "subscriptions", note: "not counted (option countSubscriptions is off)" },
    ]);
    expect(sns.mock.calls()).toHaveLength(0);
  });

  it("notes a topic deleted while the plan was made instead of failing the whole entry", async () => {
    const planned = await topic.describe!(ctx(), found("gone"));
    expect(planned.notes).toEqual(["it was deleted while the plan was being made"]);
    expect(planned.children).toBeUndefined();
  });

  it("protects Control Tower's topics whatever the manifest says", () => {
    expect(topic.protectedReason!(found("aws-controltower-SecurityNotifications"))).toMatch(/AWS Control Tower/);
    expect(topic.protectedReason!(found("student-alerts"))).toBeUndefined();
  });

  it("defaults countSubscriptions to true", () => {
    expect(ctx().options.countSubscriptions).toBe(true);
  });
});

describe("sns.topic delete", () => {
  it("deletes the topic with one DeleteTopic, which takes its subscriptions with it", async () => {
    const arn = sns.createTopic("student-alerts");
    sns.subscribe(arn, "email", "ops@example.com");
    sns.subscribe(arn, "sqs", "arn:aws:sqs:us-east-1:123456789012:student-q", true);
    sns.createTopic("other-alerts");

    await topic.delete(ctx(), found("student-alerts"));

    expect(sns.mock).toHaveReceivedCommandExactlyOnceWith(DeleteTopicCommand, { TopicArn: arn });
    expect(sns.mock.calls()).toHaveLength(1);
    expect(sns.topicNames()).toEqual(["other-alerts"]);
    sns.settle();
    expect(sns.subscriptionNames()).toEqual([]);
  });

  it("succeeds again on a topic already gone: DeleteTopic is idempotent", async () => {
    sns.createTopic("student-alerts");
    await topic.delete(ctx(), found("student-alerts"));
    await expect(topic.delete(ctx(), found("student-alerts"))).resolves.toBeUndefined();
    await expect(topic.verify(ctx(), found("student-alerts"))).resolves.toBe("gone");
  });

  it("asks to retry later on ConcurrentAccess and StaleTag", async () => {
    sns.mock
      .on(DeleteTopicCommand)
      .rejectsOnce(
        new ConcurrentAccessException({
          message: "Can't perform multiple operations on a tag simultaneously.",
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .rejectsOnce(
        new StaleTagException({
          message: "A tag has been added to a resource with the same ARN as a deleted resource.",
          $metadata: { httpStatusCode: 400 },
        }),
      );
    for (let i = 0; i < 2; i++) {
      await expect(topic.delete(ctx(), found("student-alerts"))).rejects.toMatchObject({
        kind: "dependency-pending",
        retryable: true,
      });
    }
  });

  it("classifies throttling and a denied DeleteTopic", async () => {
    sns.mock
      .on(DeleteTopicCommand)
      .rejectsOnce(new ThrottledException({ message: "Rate exceeded", $metadata: { httpStatusCode: 400 } }))
      .rejectsOnce(
        new AuthorizationErrorException({
          message: "User: arn:aws:iam::123456789012:user/x is not authorized to perform: SNS:DeleteTopic",
          $metadata: { httpStatusCode: 403 },
        }),
      );
    await expect(topic.delete(ctx(), found("student-alerts"))).rejects.toMatchObject({ kind: "throttled" });
    await expect(topic.delete(ctx(), found("student-alerts"))).rejects.toMatchObject({ kind: "access-denied" });
  });
});

describe("sns.topic verify", () => {
  it("is present while GetTopicAttributes answers, gone once it says NotFound", async () => {
    sns.createTopic("student-alerts");
    await expect(topic.verify(ctx(), found("student-alerts"))).resolves.toBe("present");
    expect(sns.mock).toHaveReceivedCommandWith(GetTopicAttributesCommand, { TopicArn: arnOf("student-alerts") });
    await topic.delete(ctx(), found("student-alerts"));
    await expect(topic.verify(ctx(), found("student-alerts"))).resolves.toBe("gone");
  });

  it("throws a classified error when it cannot tell", async () => {
    sns.mock
      .on(GetTopicAttributesCommand)
      .rejects(new ThrottledException({ message: "Rate exceeded", $metadata: { httpStatusCode: 400 } }));
    await expect(topic.verify(ctx(), found("student-alerts"))).rejects.toMatchObject({ kind: "throttled" });
  });
});
