import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import type { Found, Static } from "@cleanup-runner/plugin-kit";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { beforeEach, describe, expect, it } from "vitest";
import { logGroup } from "./log-group.js";

const moto = useMoto();
const logs = () => moto.client(CloudWatchLogsClient);

type Options = Static<NonNullable<typeof logGroup.options>>;
const ctx = () => moto.context<Options>({ resource: logGroup });
const functionGroups = Array.from({ length: 60 }, (_, i) => `/aws/lambda/student-fn-${String(i).padStart(2, "0")}`);
const decoys = ["/aws/lambda/other-project-fn", "/aws/lambda/studentx-fn"];

async function createGroup(name: string, tags?: Record<string, string>): Promise<void> {
  await logs().send(new CreateLogGroupCommand({ logGroupName: name, ...(tags ? { tags } : {}) }));
}

async function allGroupNames(): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs().send(new DescribeLogGroupsCommand({ ...(nextToken ? { nextToken } : {}) }));
    names.push(...(page.logGroups ?? []).map((g) => g.logGroupName!));
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
}

/** The engine's part for an entry `match: { prefix }`: discover, select, describe. */
async function plan(prefix: string): Promise<Found[]> {
  const all = await collect(logGroup.discover(ctx(), { prefix }));
  return Promise.all(all.filter((g) => g.name.startsWith(prefix)).map((g) => logGroup.describe!(ctx(), g)));
}

beforeEach(async () => {
  for (const name of [...functionGroups, ...decoys]) await createGroup(name);
});

describe("logs.log-group on moto", () => {
  it("deletes the groups a prefix selects, across pages, and leaves the decoys", async () => {
    await logs().send(new CreateLogStreamCommand({ logGroupName: functionGroups[0], logStreamName: "2024/05/01" }));
    await logs().send(
      new PutLogEventsCommand({
        logGroupName: functionGroups[0],
        logStreamName: "2024/05/01",
        logEvents: [{ timestamp: Date.now(), message: "START RequestId: 1" }],
      }),
    );

    const planned = await plan("/aws/lambda/student-");

    expect(planned.map((g) => g.name).sort()).toEqual(functionGroups);
    const withEvents = planned.find((g) => g.name === functionGroups[0])!;
    expect(withEvents.details?.storedBytes).toBeGreaterThan(0);
    expect(withEvents.children?.[0]).toMatchObject({ kind: "stored log data" });

    for (const group of planned) {
      await logGroup.delete(ctx(), group);
      await expect(logGroup.verify(ctx(), group)).resolves.toBe("gone");
    }

    expect((await allGroupNames()).sort()).toEqual(decoys);
    await expect(logGroup.delete(ctx(), withEvents)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("discovers a function's log group with the engine's prefix hint (its exact name) sent to the API", async () => {
    await createGroup("/aws/lambda/student-fn-01-v2");
    const name = "/aws/lambda/student-fn-01";
    const all = await collect(logGroup.discover(ctx(), { names: [name], prefix: name }));
    // Only what starts with the name is listed; the engine keeps the exact name.
    expect(all.map((g) => g.name)).toEqual(["/aws/lambda/student-fn-01", "/aws/lambda/student-fn-01-v2"]);
  });

  it("reads tags and verifies a present group", async () => {
    await createGroup("/aws/appsync/apis/abc123", { workshop: "student" });
    const [group] = await collect(logGroup.discover(ctx(), { prefix: "/aws/appsync/" }));
    await expect(logGroup.readTags!(ctx(), group!)).resolves.toEqual({ workshop: "student" });
    await expect(logGroup.verify(ctx(), group!)).resolves.toBe("present");
  });
});
