import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { workshopFunctionNames } from "./lambda.js";
import { clientConfig, type SeedResult, type SeedTarget, type SeededResource } from "./types.js";

/**
 * Seeds the workshop's CloudWatch Logs footprint: the log group
 * `/aws/lambda/<fn>` of each workshop function (`${prefix}-students-api`'s
 * holds a few events, so it stores bytes), and `/aws/lambda/${prefix}-legacy-grades-handler`,
 * left by a function deleted earlier. Decoy: `/aws/lambda/other-project-fn`.
 * Functions do not create their log groups on an emulator: this seed does.
 */
export async function seedLogs(target: SeedTarget, prefix: string): Promise<SeedResult> {
  const logs = new CloudWatchLogsClient(clientConfig(target));

  const groups = [...workshopFunctionNames(prefix), `${prefix}-legacy-grades-handler`].map((fn) => `/aws/lambda/${fn}`);
  const decoy = "/aws/lambda/other-project-fn";
  for (const name of groups) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: name, tags: { workshop: "student-system" } }));
  }
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: decoy, tags: { workshop: "other-project" } }));
  } catch (error) {
    // Decoys are shared by every prefix seeded into the account: made once.
    if ((error as { name?: string }).name !== "ResourceAlreadyExistsException") throw error;
  }

  const withEvents = `/aws/lambda/${prefix}-students-api`;
  const stream = "2024/05/01/[$LATEST]seed";
  await logs.send(new CreateLogStreamCommand({ logGroupName: withEvents, logStreamName: stream }));
  const now = Date.now();
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: withEvents,
      logStreamName: stream,
      logEvents: ["START RequestId: seed", "GET /students 200", "END RequestId: seed"].map((message, i) => ({
        timestamp: now + i,
        message,
      })),
    }),
  );

  const group = (name: string): SeededResource => ({
    description: `logs.log-group ${name}`,
    exists: async () => {
      // ASCII-sorted by name: the exact name comes first among those it prefixes.
      const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
      return Boolean(logGroups?.some((g) => g.logGroupName === name));
    },
  });

  return { selected: groups.map(group), decoys: [group(decoy)] };
}
