import {
  CloudWatchLogsClient,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-cloudwatch-logs";
import type { ContractFixture, ContractResource } from "@cleanup-runner/plugin-kit/contract";
import { mockClient } from "aws-sdk-client-mock";

const arnOf = (name: string) => `arn:aws:logs:us-east-1:123456789012:log-group:${name}`;

/**
 * An in-memory CloudWatch Logs account on aws-sdk-client-mock, by the API's
 * rules: DescribeLogGroups sorted by name, filtered by prefix, paged by
 * nextToken (`limit` at most 50); tags by the ARN without `:*`;
 * DeleteLogGroup of an unknown group is ResourceNotFoundException.
 */
export function fakeLogsAccount(pageSize = 10): ContractFixture {
  const mock = mockClient(CloudWatchLogsClient);
  let groups = new Map<string, ContractResource>();
  return {
    seed(resources) {
      mock.reset();
      groups = new Map(resources.map((r) => [r.name, r]));
      mock
        .on(DescribeLogGroupsCommand)
        .callsFake((input: { logGroupNamePrefix?: string; nextToken?: string; limit?: number }) => {
          const names = [...groups.keys()].filter((n) => n.startsWith(input.logGroupNamePrefix ?? "")).sort();
          const start = input.nextToken ? Number(input.nextToken) : 0;
          const end = start + Math.min(input.limit ?? 50, pageSize);
          return {
            logGroups: names.slice(start, end).map((logGroupName) => ({
              logGroupName,
              arn: `${arnOf(logGroupName)}:*`,
              logGroupArn: arnOf(logGroupName),
              creationTime: 0,
              storedBytes: 0,
            })),
            ...(end < names.length ? { nextToken: String(end) } : {}),
          };
        });
      mock.on(ListTagsForResourceCommand).callsFake((input: { resourceArn: string }) => {
        const group = [...groups.values()].find((g) => arnOf(g.name) === input.resourceArn);
        if (!group) throw new ResourceNotFoundException({ message: "not found", $metadata: {} });
        return { tags: group.tags ?? {} };
      });
      mock.on(DeleteLogGroupCommand).callsFake((input: { logGroupName: string }) => {
        if (!groups.delete(input.logGroupName)) {
          throw new ResourceNotFoundException({ message: "The specified log group does not exist.", $metadata: {} });
        }
        return {};
      });
    },
    present: () => [...groups.keys()],
  };
}
