import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeSubscriptionAccount } from "../testing/fake-sns.js";
import { subscription } from "./subscription.js";

testResourceType(subscription, {
  fixture: fakeSubscriptionAccount(),
  // Subscriptions of two topics, to SQS queues: `<topic>/<protocol>/<endpoint>`.
  name: (i) =>
    `contract-${i % 2 ? "beta" : "alpha"}/sqs/arn:aws:sqs:us-east-1:123456789012:queue-${String(i).padStart(3, "0")}`,
  // Subscriptions cannot be tagged.
  tags: false,
});
