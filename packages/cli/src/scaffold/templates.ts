/**
 * The files of a new plugin package. The example resource type deletes SQS
 * queues: a complete, working starting point (discover with paging, tags,
 * describe, delete, verify, a fake account and the contract suite) to adapt
 * to your own service.
 */
export function pluginFiles(name: string, kitVersion: string): Record<string, string> {
  const type = `${name}.queue`;
  return {
    "package.json":
      JSON.stringify(
        {
          name: `cleanup-plugin-${name}`,
          version: "0.1.0",
          type: "module",
          description: `cleanup-runner plugin: ${type}`,
          exports: { ".": "./src/index.ts" },
          scripts: { test: "vitest run" },
          peerDependencies: { "@cleanup-runner/plugin-kit": kitVersion },
          dependencies: { "@aws-sdk/client-sqs": "^3.1138.0", "@sinclair/typebox": "^0.34.0" },
          devDependencies: { "aws-sdk-client-mock": "^4.1.0", vitest: "^4.1.0" },
        },
        null,
        2,
      ) + "\n",
    "README.md": `# cleanup-plugin-${name}

A cleanup-runner plugin. Load it from a manifest:

\`\`\`yaml
plugins: [./path/to/${name}/src/index.ts]   # or the package name, installed next to the manifest
resources:
  - service: ${name}
    type: queue
    match: { prefix: "workshop-" }
\`\`\`

\`src/resources/queue.ts\` deletes SQS queues as a working example: replace its
SQS calls with your service's, keep the shape. \`npm test\` runs its unit test
and the plugin-kit contract suite against the fake account in
\`src/testing/fake-queues.ts\`.
`,
    "vitest.config.ts": `import { defineConfig } from "vitest/config";

export default defineConfig({ test: { include: ["src/**/*.test.ts"] } });
`,
    "src/index.ts": `import { definePlugin } from "@cleanup-runner/plugin-kit";
import { queue } from "./resources/queue.js";

export default definePlugin({ name: ${JSON.stringify(name)}, resources: [queue] });
`,
    "src/resources/queue.ts": `import {
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  paginateListQueues,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { classifiedCall, defineResource, readOrUndefined, Type } from "@cleanup-runner/plugin-kit";

const nameOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

/** ${type}: an SQS queue (the example type of this plugin: adapt it to your service). */
export const queue = defineResource({
  type: ${JSON.stringify(type)},
  description: "An SQS queue, selected by name; its messages go with it.",
  scope: "regional",
  deletesWith: ["its messages"],
  options: Type.Object({}),

  // List every queue, every page; the engine applies the manifest's selector.
  async *discover(ctx, hints) {
    const client = ctx.client(SQSClient);
    const input = { MaxResults: 1000, ...(hints.prefix ? { QueueNamePrefix: hints.prefix } : {}) };
    for await (const page of paginateListQueues({ client }, input)) {
      for (const url of page.QueueUrls ?? []) yield { id: url, name: nameOf(url) };
    }
  },

  async readTags(ctx, found) {
    const { Tags } = await ctx.client(SQSClient).send(new ListQueueTagsCommand({ QueueUrl: found.id }));
    return Tags ?? {};
  },

  async describe(ctx, found) {
    const answer = await ctx
      .client(SQSClient)
      .send(new GetQueueAttributesCommand({ QueueUrl: found.id, AttributeNames: ["ApproximateNumberOfMessages", "CreatedTimestamp"] }));
    const attributes = answer.Attributes ?? {};
    return {
      ...found,
      ...(attributes.CreatedTimestamp ? { createdAt: new Date(Number(attributes.CreatedTimestamp) * 1000).toISOString() } : {}),
      children: [{ kind: "messages", count: Number(attributes.ApproximateNumberOfMessages ?? 0) }],
    };
  },

  // One attempt; what it throws comes out classified (NotFound counts as deleted, throttling is retried).
  async delete(ctx, found) {
    await classifiedCall(\`DeleteQueue \${found.name}\`, () =>
      ctx.client(SQSClient).send(new DeleteQueueCommand({ QueueUrl: found.id })),
    );
  },

  async verify(ctx, found) {
    const answer = await readOrUndefined(() =>
      ctx.client(SQSClient).send(new GetQueueAttributesCommand({ QueueUrl: found.id, AttributeNames: ["QueueArn"] })),
    );
    return answer ? "present" : "gone";
  },
});
`,
    "src/testing/fake-queues.ts": `import {
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  QueueDoesNotExist,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { ContractFixture, ContractResource } from "@cleanup-runner/plugin-kit/contract";
import { mockClient } from "aws-sdk-client-mock";

const urlOf = (name: string) => \`https://sqs.us-east-1.amazonaws.com/123456789012/\${name}\`;
const gone = () => new QueueDoesNotExist({ message: "The specified queue does not exist.", $metadata: {} });

/** An in-memory SQS account on aws-sdk-client-mock, paging ListQueues by NextToken. */
export function fakeQueues(pageSize = 10): ContractFixture {
  const mock = mockClient(SQSClient);
  let queues = new Map<string, ContractResource>();
  return {
    seed(resources) {
      mock.reset();
      queues = new Map(resources.map((r) => [urlOf(r.name), r]));
      mock.on(ListQueuesCommand).callsFake((input: { QueueNamePrefix?: string; NextToken?: string; MaxResults?: number }) => {
        const urls = [...queues.values()].filter((q) => q.name.startsWith(input.QueueNamePrefix ?? "")).map((q) => urlOf(q.name));
        const start = Number(input.NextToken ?? 0);
        const end = start + Math.min(input.MaxResults ?? 1000, pageSize);
        return { QueueUrls: urls.slice(start, end), ...(end < urls.length ? { NextToken: String(end) } : {}) };
      });
      mock.on(ListQueueTagsCommand).callsFake((input: { QueueUrl: string }) => {
        const q = queues.get(input.QueueUrl);
        if (!q) throw gone();
        return { Tags: q.tags ?? {} };
      });
      mock.on(GetQueueAttributesCommand).callsFake((input: { QueueUrl: string }) => {
        if (!queues.has(input.QueueUrl)) throw gone();
        return { Attributes: { ApproximateNumberOfMessages: "0", CreatedTimestamp: "0", QueueArn: "arn" } };
      });
      mock.on(DeleteQueueCommand).callsFake((input: { QueueUrl: string }) => {
        if (!queues.delete(input.QueueUrl)) throw gone();
        return {};
      });
    },
    present: () => [...queues.values()].map((q) => q.name),
  };
}
`,
    "src/resources/queue.test.ts": `import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { describe, expect, it } from "vitest";
import { fakeQueues } from "../testing/fake-queues.js";
import { queue } from "./queue.js";

const fixture = fakeQueues();

// The contract every resource type keeps: paging, hints, read-only planning, idempotent delete.
testResourceType(queue, { fixture });

describe(${JSON.stringify(type)}, () => {
  it("counts the messages that go with a queue", async () => {
    await fixture.seed([{ name: "workshop-orders" }]);
    const ctx = testContext({ resource: queue });
    const [found] = await collect(queue.discover(ctx, {}));
    const described = await queue.describe!(ctx, found!);
    expect(described.children).toEqual([{ kind: "messages", count: 0 }]);
  });
});
`,
  };
}
