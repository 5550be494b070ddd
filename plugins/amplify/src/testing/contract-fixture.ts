/**
 * The contract fixture (`testResourceType`) of `amplify.app`, on the
 * in-memory Amplify of `fake-amplify.ts`: apps with more branches, webhooks
 * and backend environments than a page holds, every other app a Gen 1
 * (Amplify CLI) backend and the rest a Gen 2 branch backend, each with its
 * CloudFormation stack. Lists answer at most `pageSize` items.
 */
import { AmplifyClient } from "@aws-sdk/client-amplify";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { ContractFixture, ContractResource } from "@cleanup-runner/plugin-kit/contract";
import { mockClient } from "aws-sdk-client-mock";
import { FakeAmplify, stackArn } from "./fake-amplify.js";

function seedApp(fake: FakeAmplify, resource: ContractResource, index: number): void {
  const slug = `contract${index}`;
  const gen2Stack = `amplify-${slug}-main-branch-${String(index).padStart(10, "0")}`;
  const gen1Stack = `amplify-${slug}-dev-${String(10000 + index)}`;
  const gen1 = index % 2 === 0;
  fake.addApp({
    name: resource.name,
    tags: { ...resource.tags },
    repository: `https://github.com/example/${slug}`,
    branches: [
      { name: "main", ...(gen1 ? {} : { stackArn: stackArn(gen2Stack) }) },
      { name: "dev" },
      { name: "feature-a" },
      { name: "feature-b" },
      { name: "feature-c" },
    ],
    domains: [`${slug}.example.com`],
    webhooks: ["w1", "w2", "w3", "w4", "w5"],
    backendEnvironments: gen1
      ? [
          { name: "dev", stackName: gen1Stack, deploymentArtifacts: `${gen1Stack}-deployment` },
          ...["test", "staging", "prod", "old"].map((env) => ({ name: env, stackName: `amplify-${slug}-${env}-1` })),
        ]
      : [],
  });
  fake.stacks.set(gen1 ? gen1Stack : gen2Stack, "UPDATE_COMPLETE");
}

/** Amplify apps as described above; `present` names the apps. */
export function fakeAmplifyApps(pageSize = 4): ContractFixture {
  let fake = new FakeAmplify(pageSize);
  return {
    seed(resources) {
      fake = new FakeAmplify(pageSize);
      resources.forEach((r, i) => seedApp(fake, r, i));
      fake.install({ amplify: mockClient(AmplifyClient), cloudformation: mockClient(CloudFormationClient) });
    },
    present: () => [...fake.apps.values()].map((app) => app.name),
  };
}
