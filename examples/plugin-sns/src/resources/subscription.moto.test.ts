import { CreateTopicCommand, ListSubscriptionsCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import type { Found } from "@cleanup-runner/plugin-kit";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { beforeEach, describe, expect, it } from "vitest";
import { subscription } from "./subscription.js";
import { topic } from "./topic.js";

const moto = useMoto();
const sns = () => moto.client(SNSClient);
let studentAlerts: string;
let otherAlerts: string;

const ctx = () => moto.context({ resource: subscription });
const queueArn = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;
const functionArn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
// moto pages ListSubscriptions by 100, as AWS does: these and the decoys take two pages.
const studentQueues = Array.from({ length: 110 }, (_, i) => `student-q-${String(i).padStart(3, "0")}`);

async function createTopic(name: string): Promise<string> {
  return (await sns().send(new CreateTopicCommand({ Name: name }))).TopicArn!;
}

async function subscribe(topicArn: string, protocol: string, endpoint: string): Promise<string> {
  const { SubscriptionArn } = await sns().send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: protocol, Endpoint: endpoint, ReturnSubscriptionArn: true }),
  );
  return SubscriptionArn!;
}

async function allSubscriptionNames(): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sns().send(new ListSubscriptionsCommand({ ...(NextToken ? { NextToken } : {}) }));
    names.push(
      ...(page.Subscriptions ?? []).map((s) => `${s.TopicArn!.split(":").at(-1)}/${s.Protocol}/${s.Endpoint}`),
    );
    NextToken = page.NextToken;
  } while (NextToken);
  return names.sort();
}

/** The engine's part for an entry `match: { prefix }`: discover, select, describe. */
async function plan(prefix: string): Promise<Found[]> {
  const all = await collect(subscription.discover(ctx(), { prefix }));
  return Promise.all(all.filter((s) => s.name.startsWith(prefix)).map((s) => subscription.describe!(ctx(), s)));
}

beforeEach(async () => {
  studentAlerts = await createTopic("student-alerts");
  otherAlerts = await createTopic("other-alerts");
  for (const q of studentQueues) await subscribe(studentAlerts, "sqs", queueArn(q));
  await subscribe(studentAlerts, "lambda", functionArn("student-notify"));
  // Decoys: another topic's subscriptions, one of them to the same function.
  await subscribe(otherAlerts, "lambda", functionArn("student-notify"));
  await subscribe(otherAlerts, "email", "team@example.com");
});

describe("sns.subscription on moto", () => {
  it("unsubscribes what a topic prefix selects, across pages, and leaves the topic and the decoys", async () => {
    const planned = await plan("student-alerts/");

    expect(planned).toHaveLength(111);
    expect(planned.every((s) => s.protectedReason === undefined)).toBe(true);
    const notify = planned.find((s) => s.name === `student-alerts/lambda/${functionArn("student-notify")}`)!;
    expect(notify).toMatchObject({ arn: notify.id, details: { topicArn: studentAlerts, protocol: "lambda" } });

    for (const s of planned) {
      await subscription.delete(ctx(), s);
      await expect(subscription.verify(ctx(), s)).resolves.toBe("gone");
    }

    expect(await allSubscriptionNames()).toEqual([
      `other-alerts/email/team@example.com`,
      `other-alerts/lambda/${functionArn("student-notify")}`,
    ]);
    // The topic stays: only its subscriptions were selected.
    const topics = await collect(topic.discover(moto.context({ resource: topic }), {}));
    expect(topics.map((t) => t.name).sort()).toEqual(["other-alerts", "student-alerts"]);
    // Unsubscribe of a subscription already gone succeeds, on moto as on AWS.
    await expect(subscription.delete(ctx(), notify)).resolves.toBeUndefined();
  });

  it("names the endpoint, so a `suffix` selects a function's subscriptions on every topic", async () => {
    const all = await collect(subscription.discover(ctx(), {}));
    const toFunction = all.filter((s) => s.name.endsWith(`/lambda/${functionArn("student-notify")}`));
    expect(toFunction.map((s) => s.name.split("/")[0]).sort()).toEqual(["other-alerts", "student-alerts"]);
  });

  it("calls a subscription gone once its topic is deleted", async () => {
    const email = await subscribe(studentAlerts, "email", "ops@example.com");
    const [found] = (await collect(subscription.discover(ctx(), {}))).filter((s) => s.id === email);
    await expect(subscription.verify(ctx(), found!)).resolves.toBe("present");

    await topic.delete(moto.context({ resource: topic }), {
      id: studentAlerts,
      name: "student-alerts",
    });

    await expect(subscription.verify(ctx(), found!)).resolves.toBe("gone");
    await expect(subscription.delete(ctx(), found!)).resolves.toBeUndefined();
  });
});
