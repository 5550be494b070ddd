import {
  CreateTopicCommand,
  ListSubscriptionsCommand,
  ListTopicsCommand,
  SNSClient,
  SubscribeCommand,
} from "@aws-sdk/client-sns";
import type { Found, Static } from "@cleanup-runner/plugin-kit";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { beforeEach, describe, expect, it } from "vitest";
import { topic } from "./topic.js";

const moto = useMoto();
const sns = () => moto.client(SNSClient);

type Options = Static<NonNullable<typeof topic.options>>;
const ctx = () => moto.context<Options>({ resource: topic });
// moto pages ListTopics by 100, as AWS does: 105 topics take two pages.
const studentTopics = Array.from({ length: 105 }, (_, i) => `student-topic-${String(i).padStart(3, "0")}`);
const decoys = ["other-alerts", "studentx-alerts"];
const queueArn = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;

async function createTopic(name: string, tags?: Record<string, string>): Promise<string> {
  const attributes = name.endsWith(".fifo") ? { Attributes: { FifoTopic: "true" } } : {};
  const tagList = tags ? { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } : {};
  const { TopicArn } = await sns().send(new CreateTopicCommand({ Name: name, ...attributes, ...tagList }));
  return TopicArn!;
}

async function subscribe(topicArn: string, protocol: string, endpoint: string): Promise<void> {
  await sns().send(new SubscribeCommand({ TopicArn: topicArn, Protocol: protocol, Endpoint: endpoint }));
}

async function allTopicNames(): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sns().send(new ListTopicsCommand({ ...(NextToken ? { NextToken } : {}) }));
    names.push(...(page.Topics ?? []).map((t) => t.TopicArn!.split(":").at(-1)!));
    NextToken = page.NextToken;
  } while (NextToken);
  return names.sort();
}

async function allSubscriptionTopics(): Promise<string[]> {
  const { Subscriptions } = await sns().send(new ListSubscriptionsCommand({}));
  return (Subscriptions ?? []).map((s) => s.TopicArn!.split(":").at(-1)!).sort();
}

/** The engine's part for an entry `match: { prefix }`: discover, select, describe. */
async function plan(prefix: string): Promise<Found[]> {
  const all = await collect(topic.discover(ctx(), { prefix }));
  return Promise.all(all.filter((t) => t.name.startsWith(prefix)).map((t) => topic.describe!(ctx(), t)));
}

beforeEach(async () => {
  for (const name of [...studentTopics, ...decoys]) await createTopic(name);
});

describe("sns.topic on moto", () => {
  it("deletes the topics a prefix selects, across pages, with their subscriptions, and leaves the decoys", async () => {
    const alerts = (await collect(topic.discover(ctx(), {}))).find((t) => t.name === studentTopics[0])!;
    await subscribe(alerts.id, "sqs", queueArn("student-q"));
    await subscribe(alerts.id, "email", "ops@example.com");
    const decoy = (await collect(topic.discover(ctx(), {}))).find((t) => t.name === "other-alerts")!;
    await subscribe(decoy.id, "email", "team@example.com");

    const planned = await plan("student-");

    expect(planned.map((t) => t.name).sort()).toEqual(studentTopics);
    expect(planned.find((t) => t.name === studentTopics[0])?.children).toEqual([
      { kind: "subscriptions", count: 2, note: "1 sqs, 1 email" },
    ]);
    expect(planned.find((t) => t.name === studentTopics[1])?.children).toEqual([{ kind: "subscriptions", count: 0 }]);

    for (const t of planned) {
      await topic.delete(ctx(), t);
      await expect(topic.verify(ctx(), t)).resolves.toBe("gone");
    }

    expect(await allTopicNames()).toEqual(decoys);
    // moto drops a deleted topic's subscriptions at once (AWS shortly after): only the decoy's is left.
    expect(await allSubscriptionTopics()).toEqual(["other-alerts"]);
    // DeleteTopic is idempotent: a second run succeeds.
    await expect(topic.delete(ctx(), planned[0]!)).resolves.toBeUndefined();
  });

  it("reads tags, tells a FIFO topic by its name, and verifies a present topic", async () => {
    await createTopic("student-orders.fifo", { workshop: "student" });
    const [fifo] = await collect(topic.discover(ctx(), {})).then((all) =>
      all.filter((t) => t.name === "student-orders.fifo"),
    );

    expect(fifo).toMatchObject({ name: "student-orders.fifo", details: { fifo: true } });
    await expect(topic.readTags!(ctx(), fifo!)).resolves.toEqual({ workshop: "student" });
    const planned = await topic.describe!(ctx(), fifo!);
    expect(planned.notes).toEqual([
      "a FIFO topic: messages kept in its archive (archive policy), if any, are deleted with it",
    ]);
    await expect(topic.verify(ctx(), fifo!)).resolves.toBe("present");
  });

  it("says NotFound is gone for a topic that never existed, and describes it as deleted", async () => {
    const ghost: Found = {
      id: "arn:aws:sns:us-east-1:123456789012:student-ghost",
      name: "student-ghost",
      details: { fifo: false },
    };
    await expect(topic.verify(ctx(), ghost)).resolves.toBe("gone");
    await expect(topic.describe!(ctx(), ghost)).resolves.toMatchObject({
      notes: ["it was deleted while the plan was being made"],
    });
  });
});
