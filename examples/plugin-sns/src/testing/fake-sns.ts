import {
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  InvalidParameterException,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  NotFoundException,
  ResourceNotFoundException,
  SNSClient,
  UnsubscribeCommand,
  type Subscription,
} from "@aws-sdk/client-sns";
import type { ContractFixture } from "@cleanup-runner/plugin-kit/contract";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";

/** One subscription the fake account holds. */
export interface FakeSubscription {
  readonly arn: string;
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  /** Not confirmed yet: listed as `PendingConfirmation`, without its ARN. */
  readonly pending: boolean;
}

/** Settings of a fake account; everything has a default. */
export interface FakeSnsSettings {
  /** Items per List* page: SNS returns up to 100; smaller pages make paging cheap to test. */
  readonly pageSize?: number;
  readonly region?: string;
  readonly accountId?: string;
}

const notFound = (message: string) => new NotFoundException({ message, $metadata: { httpStatusCode: 404 } });

/**
 * An in-memory SNS account answering on an aws-sdk-client-mock stub, by the
 * API reference's rules (and by what AWS really does where they differ):
 * - ListTopics, ListSubscriptions, ListSubscriptionsByTopic: up to 100 a page,
 *   then a NextToken; a pending subscription is listed as `PendingConfirmation`;
 * - GetTopicAttributes, ListSubscriptionsByTopic of an unknown topic: NotFound;
 *   ListTagsForResource of one: ResourceNotFound;
 * - DeleteTopic is idempotent (no error when the topic is gone) and takes the
 *   topic's subscriptions with it, asynchronously: until `settle()` they are
 *   still listed, GetSubscriptionAttributes says "Topic does not exist", and
 *   Unsubscribe removes them;
 * - Unsubscribe of an unknown ARN succeeds (as AWS does, though its error list
 *   names NotFound); of `PendingConfirmation`, InvalidParameter;
 * - GetSubscriptionAttributes of an unknown ARN: NotFound.
 */
export class FakeSns {
  readonly mock: AwsClientStub<SNSClient>;
  private readonly topics = new Map<string, Record<string, string>>();
  private readonly subscriptions = new Map<string, FakeSubscription>();
  private readonly pageSize: number;
  private readonly arnPrefix: string;
  private nextId = 0;

  constructor(mock: AwsClientStub<SNSClient>, settings: FakeSnsSettings = {}) {
    this.mock = mock;
    this.pageSize = settings.pageSize ?? 100;
    this.arnPrefix = `arn:aws:sns:${settings.region ?? "us-east-1"}:${settings.accountId ?? "123456789012"}:`;
    this.install();
  }

  /** Creates a topic (CreateTopic); returns its ARN. */
  createTopic(name: string, tags: Record<string, string> = {}): string {
    const arn = this.arnPrefix + name;
    this.topics.set(arn, { ...tags });
    return arn;
  }

  /** Subscribes an endpoint to a topic (Subscribe); pending until confirmed. */
  subscribe(topicArn: string, protocol: string, endpoint: string, pending = false): FakeSubscription {
    if (!this.topics.has(topicArn)) throw new Error(`no topic ${topicArn}`);
    const id = `00000000-0000-4000-8000-${String(++this.nextId).padStart(12, "0")}`;
    const subscription = { arn: `${topicArn}:${id}`, topicArn, protocol, endpoint, pending };
    this.subscriptions.set(subscription.arn, subscription);
    return subscription;
  }

  /** Names of the topics the account holds. */
  topicNames(): string[] {
    return [...this.topics.keys()].map((arn) => arn.slice(this.arnPrefix.length));
  }

  /** Every subscription still listed, as `<topic>/<protocol>/<endpoint>`. */
  subscriptionNames(): string[] {
    return [...this.subscriptions.values()].map(
      (s) => `${s.topicArn.slice(this.arnPrefix.length)}/${s.protocol}/${s.endpoint}`,
    );
  }

  /** SNS catching up: the subscriptions of deleted topics disappear. */
  settle(): void {
    for (const [arn, s] of this.subscriptions) if (!this.topics.has(s.topicArn)) this.subscriptions.delete(arn);
  }

  /** Empties the account and re-installs its handlers (after a test changed some). */
  reset(): void {
    this.topics.clear();
    this.subscriptions.clear();
    this.install();
  }

  private install(): void {
    const mock = this.mock;
    mock.reset();
    mock.on(ListTopicsCommand).callsFake((input: { NextToken?: string }) => {
      const { items, NextToken } = this.page([...this.topics.keys()], input.NextToken);
      return { Topics: items.map((TopicArn) => ({ TopicArn })), ...(NextToken ? { NextToken } : {}) };
    });
    mock.on(ListSubscriptionsCommand).callsFake((input: { NextToken?: string }) => {
      const { items, NextToken } = this.page([...this.subscriptions.values()], input.NextToken);
      return { Subscriptions: items.map(listed), ...(NextToken ? { NextToken } : {}) };
    });
    mock.on(ListSubscriptionsByTopicCommand).callsFake((input: { TopicArn: string; NextToken?: string }) => {
      if (!this.topics.has(input.TopicArn)) throw notFound("Topic does not exist");
      const ofTopic = [...this.subscriptions.values()].filter((s) => s.topicArn === input.TopicArn);
      const { items, NextToken } = this.page(ofTopic, input.NextToken);
      return { Subscriptions: items.map(listed), ...(NextToken ? { NextToken } : {}) };
    });
    mock.on(ListTagsForResourceCommand).callsFake((input: { ResourceArn: string }) => {
      const tags = this.topics.get(input.ResourceArn);
      if (!tags) {
        throw new ResourceNotFoundException({ message: "Resource does not exist", $metadata: { httpStatusCode: 404 } });
      }
      return { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
    });
    mock.on(GetTopicAttributesCommand).callsFake((input: { TopicArn: string }) => {
      if (!this.topics.has(input.TopicArn)) throw notFound("Topic does not exist");
      return { Attributes: { TopicArn: input.TopicArn } };
    });
    mock.on(DeleteTopicCommand).callsFake((input: { TopicArn: string }) => {
      this.topics.delete(input.TopicArn);
      return {};
    });
    mock.on(UnsubscribeCommand).callsFake((input: { SubscriptionArn: string }) => {
      if (input.SubscriptionArn.split(":").length < 6) {
        throw new InvalidParameterException({
          message: "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1",
          $metadata: { httpStatusCode: 400 },
        });
      }
      this.subscriptions.delete(input.SubscriptionArn);
      return {};
    });
    mock.on(GetSubscriptionAttributesCommand).callsFake((input: { SubscriptionArn: string }) => {
      const s = this.subscriptions.get(input.SubscriptionArn);
      if (!s) throw notFound("Subscription does not exist");
      if (!this.topics.has(s.topicArn)) throw notFound("Topic does not exist");
      return { Attributes: { SubscriptionArn: s.arn, TopicArn: s.topicArn, Protocol: s.protocol } };
    });
  }

  private page<T>(all: T[], token: string | undefined): { items: T[]; NextToken?: string } {
    const start = token ? Number(token) : 0;
    const end = start + this.pageSize;
    return { items: all.slice(start, end), ...(end < all.length ? { NextToken: String(end) } : {}) };
  }
}

function listed(s: FakeSubscription): Subscription {
  return {
    SubscriptionArn: s.pending ? "PendingConfirmation" : s.arn,
    Owner: "123456789012",
    Protocol: s.protocol,
    Endpoint: s.endpoint,
    TopicArn: s.topicArn,
  };
}

/** The contract suite's fixture for `sns.topic`: the seeded names are topics. */
export function fakeTopicAccount(pageSize = 10): ContractFixture {
  const sns = new FakeSns(mockClient(SNSClient), { pageSize });
  return {
    seed(resources) {
      sns.reset();
      for (const r of resources) sns.createTopic(r.name, r.tags);
    },
    present: () => sns.topicNames(),
  };
}

/**
 * The contract suite's fixture for `sns.subscription`: each seeded name,
 * `<topic>/<protocol>/<endpoint>`, becomes a confirmed subscription, its
 * topic created on first use.
 */
export function fakeSubscriptionAccount(pageSize = 10): ContractFixture {
  const sns = new FakeSns(mockClient(SNSClient), { pageSize });
  return {
    seed(resources) {
      sns.reset();
      const topics = new Map<string, string>();
      for (const { name } of resources) {
        const [topic, protocol, ...endpoint] = name.split("/");
        if (!topic || !protocol || endpoint.length === 0)
          throw new Error(`${name} is not <topic>/<protocol>/<endpoint>`);
        let topicArn = topics.get(topic);
        if (!topicArn) topics.set(topic, (topicArn = sns.createTopic(topic)));
        sns.subscribe(topicArn, protocol, endpoint.join("/"));
      }
    },
    present: () => sns.subscriptionNames(),
  };
}
