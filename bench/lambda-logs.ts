import {
  CloudWatchLogsClient,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionUrlConfigCommand,
  LambdaClient,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
} from "@aws-sdk/client-lambda";
import { VirtualClock } from "@cleanup-runner/core";
import lambda from "@cleanup-runner/plugin-lambda";
import logs from "@cleanup-runner/plugin-logs";
import { mockClient } from "aws-sdk-client-mock";
import { againstBound, awsError, benchManifest, overMinimum, printFigures, runEngine } from "./harness.js";

const page = <T>(items: T[], token: string | undefined, size: number) => {
  const start = Number(token ?? 0);
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
};

/**
 * `functions` Lambda functions, each with its log group, plus enough orphan
 * log groups to make `groups` in all, deleted through the real engine and
 * plugins. The quotas the plugins declare bound the run: DeleteLogGroup 10
 * per second per region, the Lambda control plane 7 deletes per second.
 */
export async function benchLambdaLogs(functions: number, groups: number, latencyMs: number): Promise<void> {
  const clock = new VirtualClock();
  const wait = () => clock.sleep(latencyMs);
  const fnName = (i: number) => `bench-fn-${String(i).padStart(5, "0")}`;
  const liveFunctions = new Set(Array.from({ length: functions }, (_, i) => fnName(i)));
  const orphanCount = Math.max(0, groups - functions);
  const liveGroups = new Set([
    ...[...liveFunctions].map((f) => `/aws/lambda/${f}`),
    ...Array.from({ length: orphanCount }, (_, i) => `/aws/lambda/bench-old-${String(i).padStart(5, "0")}`),
  ]);
  const lambdaMock = mockClient(LambdaClient);
  const logsMock = mockClient(CloudWatchLogsClient);
  const functionPages = 50;
  const groupPages = 50;

  lambdaMock.on(ListFunctionsCommand).callsFake(async (input: { Marker?: string }) => {
    await wait();
    const names = [...liveFunctions].sort();
    const { items, next } = page(names, input.Marker, functionPages);
    return {
      Functions: items.map((FunctionName) => ({
        FunctionName,
        FunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${FunctionName}`,
        LastModified: "2026-01-01T00:00:00.000+0000",
      })),
      ...(next ? { NextMarker: next } : {}),
    };
  });
  lambdaMock
    .on(ListVersionsByFunctionCommand)
    .callsFake(async () => (await wait(), { Versions: [{ Version: "$LATEST" }] }));
  lambdaMock.on(ListAliasesCommand).callsFake(async () => (await wait(), { Aliases: [] }));
  lambdaMock.on(ListEventSourceMappingsCommand).callsFake(async () => (await wait(), { EventSourceMappings: [] }));
  lambdaMock.on(GetFunctionUrlConfigCommand).callsFake(async () => {
    await wait();
    throw awsError("ResourceNotFoundException", 404);
  });
  lambdaMock.on(DeleteFunctionCommand).callsFake(async (input: { FunctionName: string }) => {
    await wait();
    if (!liveFunctions.delete(input.FunctionName)) throw awsError("ResourceNotFoundException", 404);
    return {};
  });
  lambdaMock.on(GetFunctionCommand).callsFake(async (input: { FunctionName: string }) => {
    await wait();
    if (!liveFunctions.has(input.FunctionName)) throw awsError("ResourceNotFoundException", 404);
    return { Configuration: { FunctionName: input.FunctionName } };
  });

  logsMock
    .on(DescribeLogGroupsCommand)
    .callsFake(async (input: { logGroupNamePrefix?: string; nextToken?: string }) => {
      await wait();
      const names = [...liveGroups].filter((g) => g.startsWith(input.logGroupNamePrefix ?? "")).sort();
      const { items, next } = page(names, input.nextToken, groupPages);
      return {
        logGroups: items.map((logGroupName) => ({
          logGroupName,
          arn: `arn:aws:logs:us-east-1:123456789012:log-group:${logGroupName}:*`,
          creationTime: 0,
          storedBytes: 1024,
        })),
        ...(next ? { nextToken: next } : {}),
      };
    });
  logsMock.on(ListTagsForResourceCommand).callsFake(async () => (await wait(), { tags: {} }));
  logsMock.on(DeleteLogGroupCommand).callsFake(async (input: { logGroupName: string }) => {
    await wait();
    if (!liveGroups.delete(input.logGroupName)) throw awsError("ResourceNotFoundException", 400);
    return {};
  });

  const measured = await runEngine(
    [lambda, logs],
    benchManifest([
      { type: "lambda.function", prefix: "bench-" },
      { type: "logs.log-group", prefix: "/aws/lambda/bench-" },
    ]),
    clock,
    { concurrency: 32, perService: 16 },
  );
  lambdaMock.restore();
  logsMock.restore();
  const lambdaCalls = measured.calls.Lambda ?? {};
  const logsCalls = measured.calls.CloudWatchLogs ?? {};
  const pagesOf = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  // The least any tool can do: list each kind once, one delete and one fresh read per resource.
  const minimum = pagesOf(functions, functionPages) + pagesOf(groups, groupPages) + 2 * functions + 2 * groups;
  const core =
    (lambdaCalls.ListFunctions ?? 0) +
    (lambdaCalls.DeleteFunction ?? 0) +
    (lambdaCalls.GetFunction ?? 0) +
    (logsCalls.DescribeLogGroups ?? 0) +
    (logsCalls.DeleteLogGroup ?? 0);
  const describe = measured.totalCalls - core - 1; // minus STS
  // DeleteLogGroup is paced at 10/s per region: the groups alone need groups/10 s, plus one call's latency.
  const bound = Math.max(((groups - 1) / 10) * 1000, ((functions - 1) / 7) * 1000) + 3 * latencyMs;
  printFigures(
    `lambda.function + logs.log-group: ${functions.toLocaleString("en-US")} functions, ${groups.toLocaleString("en-US")} log groups, ${latencyMs} ms per call`,
    [
      ["list + delete + verify calls / minimum", overMinimum(core, minimum)],
      [
        "plan detail calls (versions, aliases, URLs, mappings)",
        `${describe} (${(describe / functions).toFixed(1)} per function)`,
      ],
      ["wall time / rate-budget bound", againstBound(measured.simulatedMs, bound)],
      ["peak RSS", `${measured.peakRssMb.toFixed(0)} MB`],
      [
        "heap after full GCs (max)",
        measured.liveHeapMb === undefined ? "no full GC ran" : `${measured.liveHeapMb.toFixed(0)} MB`,
      ],
      ["real time of the simulation", `${(measured.realMs / 1000).toFixed(1)} s`],
      ["outcome", JSON.stringify(measured.outcomes)],
      ["left", `${liveFunctions.size} functions, ${liveGroups.size} log groups`],
    ],
  );
}
