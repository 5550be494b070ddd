import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";
import { FatalError, Type, type ResourceType } from "@cleanup-runner/plugin-kit";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { EngineEvent } from "./events.js";
import type { ResolvedManifest } from "./manifest/load.js";
import { resourceKey, type Plan } from "./plan.js";
import { buildPlan, coversHints, findCycle, mergeHints } from "./planner.js";
import type { Registry } from "./registry.js";
import { systemClock } from "./clock.js";
import { VirtualClock } from "./virtual-clock.js";
import {
  FakeCloud,
  fakeType,
  manifestOf,
  planned,
  registryOf,
  silentLogger,
  testSession,
} from "./testing/fake-cloud.js";
import { mockSts } from "./testing/sts.js";

const sts = mockSts();
afterAll(() => sts.restore());

let cloud: FakeCloud;
beforeEach(() => {
  cloud = new FakeCloud();
});

const R = "us-east-1";
const key = (type: string, id: string, region = R) => resourceKey(type, region, id);

function plan(
  manifest: ResolvedManifest,
  registry: Registry,
  extra: { regions?: string[]; events?: (e: EngineEvent) => void; readOnly?: boolean } = {},
): Promise<Plan> {
  return buildPlan({
    manifest,
    registry,
    session: testSession(extra.readOnly ?? true),
    regions: extra.regions ?? [R],
    logger: silentLogger,
    clock: systemClock,
    signal: new AbortController().signal,
    ...(extra.events ? { events: extra.events } : {}),
  });
}

const byKey = (p: Plan) => new Map(p.resources.map((r) => [r.key, r]));

describe("discovery and selection", () => {
  it("plans what the entries select, passing hints to discover", async () => {
    const table = fakeType(cloud, { type: "fake.table" });
    for (const id of ["a", "b", "c", "student-1", "student-2", "teacher-1"]) cloud.add("fake.table", R, { id });
    const source = { file: "/m.yaml", line: 4, col: 5 };
    const p = await plan(
      manifestOf([
        { type: "fake.table", names: ["a", "c", "missing"], source },
        { type: "fake.table", match: { prefix: "student-" }, options: { x: 1 } },
      ]),
      registryOf(table),
    );
    expect(p.resources.map((r) => r.key)).toEqual(
      ["a", "c", "student-1", "student-2"].map((id) => key("fake.table", id)),
    );
    expect(p.resources[0]).toMatchObject({
      type: "fake.table",
      region: R,
      action: "delete",
      entry: 0,
      source,
      options: {},
    });
    expect(p.resources[2]).toMatchObject({ entry: 1, options: { x: 1 } });
    expect(cloud.callsOf("discover").map((c) => c.hints)).toEqual([
      { names: ["a", "c", "missing"] },
      { prefix: "student-" },
    ]);
    expect(p.notices).toEqual([]);
  });

  it("records the account, partition, regions, manifest and time", async () => {
    const p = await plan(manifestOf([]), registryOf(fakeType(cloud, { type: "fake.table" })), {
      regions: [R, "eu-west-1"],
    });
    expect(p).toMatchObject({
      version: 1,
      accountId: "123456789012",
      partition: "aws",
      regions: [R, "eu-west-1"],
      manifest: { file: "/tmp/test.yaml", name: "test" },
      resources: [],
      notices: [],
      paces: [],
    });
    expect(Math.abs(Date.parse(p.createdAt) - Date.now())).toBeLessThan(60_000);
  });

  it("the full selector is applied to what discover yields (a plugin ignoring hints selects nothing more)", async () => {
    const table = fakeType(cloud, { type: "fake.table" });
    for (const id of ["student-1", "student-keep", "x"]) cloud.add("fake.table", R, { id });
    const p = await plan(
      manifestOf([{ type: "fake.table", match: { prefix: "student-" }, exclude: { names: ["student-keep"] } }]),
      registryOf(table),
    );
    expect(p.resources.map((r) => r.found.id)).toEqual(["student-1"]);
  });

  it("reads tags only when the selector needs them, and only for name-matching candidates", async () => {
    const bucket = fakeType(cloud, { type: "fake.bucket", tagsInList: false });
    cloud.add("fake.bucket", R, { id: "s-1", tags: { ws: "yes" } });
    cloud.add("fake.bucket", R, { id: "s-2", tags: { ws: "no" } });
    cloud.add("fake.bucket", R, { id: "other", tags: { ws: "yes" } });
    const p = await plan(
      manifestOf([{ type: "fake.bucket", match: { prefix: "s-", tags: { ws: "yes" } } }]),
      registryOf(bucket),
    );
    expect(p.resources.map((r) => r.found.id)).toEqual(["s-1"]);
    expect(p.resources[0]!.found.tags).toEqual({ ws: "yes" });
    expect(
      cloud
        .callsOf("readTags")
        .map((c) => c.id)
        .sort(),
    ).toEqual(["s-1", "s-2"]);

    cloud.calls.length = 0;
    await plan(manifestOf([{ type: "fake.bucket", match: { prefix: "s-" } }]), registryOf(bucket));
    expect(cloud.callsOf("readTags")).toEqual([]);

    cloud.calls.length = 0;
    const q = await plan(
      manifestOf([{ type: "fake.bucket", match: { prefix: "s-" }, exclude: { tags: { ws: "no" } } }]),
      registryOf(bucket),
    );
    expect(q.resources.map((r) => r.found.id)).toEqual(["s-1"]);
    expect(
      cloud
        .callsOf("readTags")
        .map((c) => c.id)
        .sort(),
    ).toEqual(["s-1", "s-2"]);
  });

  it("does not read tags that discover already gave", async () => {
    const bucket = fakeType(cloud, { type: "fake.bucket" });
    cloud.add("fake.bucket", R, { id: "s-1", tags: { ws: "yes" } });
    const p = await plan(manifestOf([{ type: "fake.bucket", match: { tags: { ws: "yes" } } }]), registryOf(bucket));
    expect(p.resources).toHaveLength(1);
    expect(cloud.callsOf("readTags")).toEqual([]);
  });

  it("describes only the selected resources, once each", async () => {
    const table = fakeType(cloud, { type: "fake.table" });
    for (const id of ["s-1", "s-2", "s-keep", "x"])
      cloud.add("fake.table", R, { id, children: [{ kind: "items", count: 3 }] });
    const p = await plan(
      manifestOf([{ type: "fake.table", match: { prefix: "s-" }, exclude: { names: ["s-keep"] } }]),
      registryOf(table),
    );
    expect(
      cloud
        .callsOf("describe")
        .map((c) => c.id)
        .sort(),
    ).toEqual(["s-1", "s-2"]);
    expect(p.resources[0]!.found.children).toEqual([{ kind: "items", count: 3 }]);
  });

  it("an age condition describes the name-matching candidates to learn their age, each once", async () => {
    const table = fakeType(cloud, { type: "fake.table", createdAtInList: false });
    const old = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const fresh = new Date().toISOString();
    cloud.add("fake.table", R, { id: "s-old", createdAt: old });
    cloud.add("fake.table", R, { id: "s-new", createdAt: fresh });
    cloud.add("fake.table", R, { id: "x-old", createdAt: old });
    const p = await plan(
      manifestOf([{ type: "fake.table", match: { prefix: "s-", olderThan: "7d" } }]),
      registryOf(table),
    );
    expect(p.resources.map((r) => r.found.id)).toEqual(["s-old"]);
    expect(
      cloud
        .callsOf("describe")
        .map((c) => c.id)
        .sort(),
    ).toEqual(["s-new", "s-old"]);
  });

  it("reads tags and describes at most 8 at a time by default", async () => {
    const base = fakeType(cloud, { type: "fake.bucket", tagsInList: false });
    let inFlight = 0;
    let most = 0;
    const slow = async <T>(work: () => Promise<T>): Promise<T> => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      try {
        return await work();
      } finally {
        inFlight--;
      }
    };
    const bucket: ResourceType = {
      ...base,
      readTags: (ctx, found) => slow(() => base.readTags!(ctx, found)),
      describe: (ctx, found) => slow(() => base.describe!(ctx, found)),
    };
    for (let i = 0; i < 30; i++) cloud.add("fake.bucket", R, { id: `b${i}`, tags: { ws: "yes" } });
    const p = await plan(manifestOf([{ type: "fake.bucket", match: { tags: { ws: "yes" } } }]), registryOf(bucket));
    expect(p.resources).toHaveLength(30);
    expect(most).toBe(8);
  });

  it("emits a discovering event per type and region", async () => {
    const events: EngineEvent[] = [];
    await plan(
      manifestOf([{ type: "fake.table", match: { all: true } }]),
      registryOf(fakeType(cloud, { type: "fake.table" })),
      {
        regions: [R, "eu-west-1"],
        events: (e) => events.push(e),
      },
    );
    expect(events).toEqual([
      { kind: "discovering", type: "fake.table", region: R },
      { kind: "discovering", type: "fake.table", region: "eu-west-1" },
    ]);
  });
});

describe("protection", () => {
  it("type-level rules and describe's reason make a resource protected, never a dependency", async () => {
    const role = fakeType(cloud, {
      type: "fake.role",
      protectedReason: (f) => (f.name.startsWith("AWSServiceRoleFor") ? "AWS-managed role" : undefined),
    });
    const table = fakeType(cloud, { type: "fake.table", dependsOn: ["fake.role"] });
    cloud.add("fake.role", R, { id: "AWSServiceRoleForX" });
    cloud.add("fake.role", R, { id: "mine" });
    cloud.add("fake.table", R, { id: "locked", protectedReason: "deletion protection is on" });
    cloud.add("fake.table", R, { id: "t" });
    const p = await plan(
      manifestOf([
        { type: "fake.role", match: { all: true } },
        { type: "fake.table", match: { all: true } },
      ]),
      registryOf(role, table),
    );
    const r = byKey(p);
    expect(r.get(key("fake.role", "AWSServiceRoleForX"))).toMatchObject({
      action: "protected",
      reason: "AWS-managed role",
    });
    expect(r.get(key("fake.table", "locked"))).toMatchObject({
      action: "protected",
      reason: "deletion protection is on",
    });
    expect(r.get(key("fake.role", "mine"))).toMatchObject({ action: "delete", dependsOn: [] });
    expect(r.get(key("fake.table", "t"))).toMatchObject({ action: "delete", dependsOn: [] });
    // The table type waits for the roles to delete; the protected role is no resource to wait for.
    expect(p.typeDependencies).toEqual({ "fake.table": ["fake.role"] });
  });
});

describe("duplicates, regions, failures", () => {
  it("a resource selected by several entries is planned once", async () => {
    const table = fakeType(cloud, { type: "fake.table" });
    for (const id of ["s-1", "s-2"]) cloud.add("fake.table", R, { id });
    const p = await plan(
      manifestOf([
        { type: "fake.table", names: ["s-1"] },
        { type: "fake.table", match: { prefix: "s-" } },
        { type: "fake.table", match: { all: true } },
      ]),
      registryOf(table),
    );
    expect(p.resources.map((r) => r.key)).toEqual([key("fake.table", "s-1"), key("fake.table", "s-2")]);
  });

  it("regional types are planned per region, global ones once (region global)", async () => {
    const table = fakeType(cloud, { type: "fake.table" });
    const role = fakeType(cloud, { type: "fake.role", scope: "global" });
    cloud.add("fake.table", R, { id: "t" });
    cloud.add("fake.table", "eu-west-1", { id: "t" });
    cloud.add("fake.table", "ap-southeast-1", { id: "not-a-target" });
    cloud.add("fake.role", "global", { id: "r" });
    const p = await plan(
      manifestOf([
        { type: "fake.table", match: { all: true } },
        { type: "fake.role", match: { all: true } },
      ]),
      registryOf(table, role),
      { regions: [R, "eu-west-1"] },
    );
    expect(p.resources.map((r) => r.key)).toEqual([
      key("fake.role", "r", "global"),
      key("fake.table", "t", "eu-west-1"),
      key("fake.table", "t", R),
    ]);
    expect(cloud.callsOf("discover").filter((c) => c.type === "fake.role")).toHaveLength(1);
    expect(
      cloud
        .callsOf("discover")
        .filter((c) => c.type === "fake.table")
        .map((c) => c.region)
        .sort(),
    ).toEqual(["eu-west-1", R]);
  });

  it("a failing discovery is an error notice; the other entries are still planned", async () => {
    const broken = fakeType(cloud, {
      type: "fake.broken",
      discoverError: Object.assign(
        new Error("User: arn:aws:iam::123456789012:user/t is not authorized to perform: fake:ListBroken"),
        { name: "AccessDeniedException" },
      ),
    });
    const table = fakeType(cloud, { type: "fake.table" });
    cloud.add("fake.table", R, { id: "t" });
    const p = await plan(
      manifestOf([
        { type: "fake.broken", match: { all: true } },
        { type: "fake.table", match: { all: true } },
      ]),
      registryOf(broken, table),
    );
    expect(p.resources.map((r) => r.key)).toEqual([key("fake.table", "t")]);
    expect(p.notices).toEqual([
      {
        level: "error",
        type: "fake.broken",
        region: R,
        message:
          "could not discover fake.broken in us-east-1: AccessDeniedException: User: arn:aws:iam::123456789012:user/t " +
          "is not authorized to perform: fake:ListBroken (grant fake:ListBroken)",
      },
    ]);
  });

  it("retries a throttled discovery with backoff instead of giving up on the type", async () => {
    let throttles = 3;
    const base = fakeType(cloud, { type: "fake.table" });
    const table: ResourceType = {
      ...base,
      discover(ctx, hints) {
        if (throttles-- > 0) throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
        return base.discover(ctx, hints);
      },
    };
    cloud.add("fake.table", R, { id: "t" });
    const clock = new VirtualClock(0);
    const p = await clock.run(
      buildPlan({
        manifest: manifestOf([{ type: "fake.table", match: { all: true } }]),
        registry: registryOf(table),
        session: testSession(true),
        regions: [R],
        logger: silentLogger,
        clock,
        signal: new AbortController().signal,
      }),
    );
    expect(p.notices).toEqual([]);
    expect(p.resources.map((r) => r.key)).toEqual([key("fake.table", "t")]);
    expect(clock.now()).toBeGreaterThanOrEqual(500 + 1_000 + 2_000); // three backoffs, jittered down to half at most
  });

  it("a failing describe is an error notice for that entry", async () => {
    const table: ResourceType = {
      ...fakeType(cloud, { type: "fake.table" }),
      describe: () => Promise.reject(new FatalError("the service answered nonsense")),
    };
    cloud.add("fake.table", R, { id: "t" });
    const p = await plan(manifestOf([{ type: "fake.table", match: { all: true } }]), registryOf(table));
    expect(p.notices.map((n) => n.level)).toEqual(["error"]);
  });
});

describe("interruption", () => {
  it("an aborted plan reads nothing more and says it is incomplete", async () => {
    const table = fakeType(cloud, { type: "fake.table" });
    cloud.add("fake.table", R, { id: "t" });
    const controller = new AbortController();
    controller.abort();
    const p = await buildPlan({
      manifest: manifestOf([{ type: "fake.table", match: { all: true } }]),
      registry: registryOf(table),
      session: testSession(true),
      regions: [R],
      logger: silentLogger,
      clock: systemClock,
      signal: controller.signal,
    });
    expect(p.resources).toEqual([]);
    expect(cloud.callsOf("discover")).toEqual([]);
    expect(p.notices).toEqual([
      { level: "error", message: "interrupted: discovery stopped before every entry was read" },
    ]);
  });
});

describe("shared listings", () => {
  it("entries of one type and region share one listing, with hints all of them allow", async () => {
    const table = fakeType(cloud, { type: "fake.table" });
    for (const id of ["an-a", "an-b", "binh-a", "chi-a", "other"]) cloud.add("fake.table", R, { id });
    const p = await plan(
      manifestOf(["an-", "binh-", "chi-"].map((prefix) => ({ type: "fake.table", match: { prefix } }))),
      registryOf(table),
    );
    expect(p.resources.map((r) => r.found.id).sort()).toEqual(["an-a", "an-b", "binh-a", "chi-a"]);
    expect(p.resources.find((r) => r.found.id === "binh-a")!.entry).toBe(1);
    const discovers = cloud.callsOf("discover");
    expect(discovers).toHaveLength(1);
    expect(discovers[0]!.hints).toEqual({}); // "an-", "binh-", "chi-" share no prefix
  });

  it("entries that select one resource with the same options describe it once; other options describe it again", async () => {
    const table = fakeType(cloud, { type: "fake.table" });
    for (const id of ["shared", "an-a", "binh-a"]) cloud.add("fake.table", R, { id });
    const p = await plan(
      manifestOf([
        // as a matrix of students makes them: each selects its own and the one they share
        ...["an-", "binh-"].map((prefix) => ({
          type: "fake.table" as const,
          match: { regex: `^(shared|${prefix}.*)$` },
        })),
        { type: "fake.table" as const, names: ["shared"], options: { other: true } },
      ]),
      registryOf(table),
    );
    expect(p.resources.map((r) => r.found.id).sort()).toEqual(["an-a", "binh-a", "shared"]);
    expect(
      cloud
        .callsOf("describe")
        .map((c) => c.id)
        .sort(),
    ).toEqual(["an-a", "binh-a", "shared", "shared"]);
  });

  it("a shared describe keeps the tags an entry read: another entry's describe of the same resource came first", async () => {
    const table = fakeType(cloud, { type: "fake.table", tagsInList: false, createdAtInList: false });
    const old = new Date(Date.now() - 30 * 86_400_000).toISOString();
    cloud.add("fake.table", R, { id: "shared", createdAt: old, tags: { team: "x" } });
    const p = await plan(
      manifestOf([
        // describes it without reading tags (only its age matters), and selects it not
        { type: "fake.table" as const, match: { prefix: "sh", olderThan: "9999w" } },
        // reads its tags, then takes the same describe
        { type: "fake.table" as const, match: { prefix: "sh", tags: { team: "x" }, olderThan: "7d" } },
      ]),
      registryOf(table),
    );
    expect(cloud.callsOf("describe").map((c) => c.id)).toEqual(["shared"]);
    expect(p.resources.map((r) => [r.found.id, r.found.tags, r.entry])).toEqual([["shared", { team: "x" }, 1]]);
  });

  it("a listing covers what its hints cannot have narrowed away", () => {
    expect(coversHints({}, { names: ["a"] })).toBe(true);
    expect(coversHints({ prefix: "st-" }, { names: ["st-a", "st-b"] })).toBe(true);
    expect(coversHints({ prefix: "st-" }, { names: ["st-a", "other"] })).toBe(false);
    expect(coversHints({ prefix: "st-" }, { prefix: "st-an-" })).toBe(true);
    expect(coversHints({ prefix: "st-an-" }, { prefix: "st-" })).toBe(false);
    expect(coversHints({ prefix: "st-" }, {})).toBe(false);
    expect(coversHints({ names: ["a", "b"], prefix: "" }, { names: ["b"] })).toBe(true);
    expect(coversHints({ names: ["a"] }, { names: ["a", "c"] })).toBe(false);
    expect(coversHints({ names: ["a"] }, { prefix: "a" })).toBe(false);
    // an entry's own prefix longer than its names share: a plugin may have listed by that prefix alone
    expect(coversHints({ names: ["st-a", "x-b"], prefix: "st-" }, { names: ["x-b"] })).toBe(false);
    expect(coversHints({ names: ["st-a", "x-b"], prefix: "st-" }, { names: ["st-a"] })).toBe(true);
  });

  it("merges hints: names only when every entry names, the prefix they all share", () => {
    expect(
      mergeHints([
        { names: ["a"], prefix: "a" },
        { names: ["ab"], prefix: "ab" },
      ]),
    ).toEqual({
      names: ["a", "ab"],
      prefix: "a",
    });
    expect(mergeHints([{ names: ["x"] }, { prefix: "student-" }])).toEqual({});
    expect(mergeHints([{ prefix: "k18-an-" }, { prefix: "k18-binh-" }])).toEqual({ prefix: "k18-" });
    expect(mergeHints([{ prefix: "p" }])).toEqual({ prefix: "p" });
  });
});

describe("companions", () => {
  const types = () => ({
    fn: fakeType(cloud, { type: "fake.function" }),
    logs: fakeType(cloud, {
      type: "fake.log-group",
      options: Type.Object({ keepDays: Type.Number({ default: 7 }) }),
    }),
    stream: fakeType(cloud, { type: "fake.stream" }),
  });
  /** The hints of each listing of log groups, in order. */
  const logGroupListings = () =>
    cloud
      .callsOf("discover")
      .filter((c) => c.type === "fake.log-group")
      .map((c) => c.hints);

  /** Adds function f and its log group, which it names as a companion. */
  const addFunctionWithGroup = () => {
    cloud.add("fake.function", R, {
      id: "f",
      companions: [
        { type: "fake.log-group", names: ["/aws/lambda/f"], order: "after", reason: "the function's log group" },
      ],
    });
    cloud.add("fake.log-group", R, { id: "/aws/lambda/f" });
  };

  it("plans a companion with its type's defaults, ordered after its owner", async () => {
    const { fn, logs } = types();
    addFunctionWithGroup();
    cloud.add("fake.log-group", R, { id: "/aws/lambda/other" });
    const source = { file: "/m.yaml", line: 3, col: 5 };
    const p = await plan(manifestOf([{ type: "fake.function", names: ["f"], source }]), registryOf(fn, logs));
    const group = byKey(p).get(key("fake.log-group", "/aws/lambda/f"));
    expect(group).toMatchObject({
      action: "delete",
      options: { keepDays: 7 },
      source,
      companionOf: { key: key("fake.function", "f"), reason: "the function's log group" },
      dependsOn: [key("fake.function", "f")],
    });
    expect(group!.entry).toBeUndefined();
    expect(p.resources).toHaveLength(2);
    expect(byKey(p).get(key("fake.function", "f"))!.dependsOn).toEqual([]);
  });

  it("a companion reuses the listing an entry made when its hints cover the companion's names", async () => {
    const { fn, logs } = types();
    for (const f of ["an-f", "an-g"]) {
      cloud.add("fake.function", R, {
        id: f,
        companions: [{ type: "fake.log-group", names: [`/aws/lambda/${f}`], order: "after", reason: "its group" }],
      });
    }
    for (const g of ["/aws/lambda/an-f", "/aws/lambda/an-g", "/aws/lambda/binh-f"])
      cloud.add("fake.log-group", R, { id: g });
    const p = await plan(
      manifestOf([
        { type: "fake.function", match: { prefix: "an-" } },
        { type: "fake.log-group", match: { prefix: "/aws/lambda/an-" }, options: { keepDays: 7 } },
        // names outside that prefix: listed again, with the companions' hints
        { type: "fake.log-group", names: ["/aws/lambda/binh-f"], options: { keepDays: 1 } },
      ]),
      registryOf(fn, logs),
    );
    expect(p.resources.map((r) => r.found.id).sort()).toEqual([
      "/aws/lambda/an-f",
      "/aws/lambda/an-g",
      "/aws/lambda/binh-f",
      "an-f",
      "an-g",
    ]);
    // the entry with the companions' options listed the prefix once; the other options listed on their own
    expect(logGroupListings()).toEqual([
      { prefix: "/aws/lambda/an-" },
      { names: ["/aws/lambda/binh-f"], prefix: "/aws/lambda/binh-f" },
    ]);
  });

  it("a companion outside what an entry listed lists again", async () => {
    const { fn, logs } = types();
    addFunctionWithGroup();
    const p = await plan(
      manifestOf([
        { type: "fake.function", names: ["f"] },
        { type: "fake.log-group", match: { prefix: "/other/" }, options: { keepDays: 7 } },
      ]),
      registryOf(fn, logs),
    );
    expect(p.resources.map((r) => r.found.id).sort()).toEqual(["/aws/lambda/f", "f"]);
    expect(logGroupListings()).toEqual([{ prefix: "/other/" }, { names: ["/aws/lambda/f"], prefix: "/aws/lambda/f" }]);
  });

  it("a companion named in a listing narrowed by a longer prefix lists again", async () => {
    const { fn, logs } = types();
    addFunctionWithGroup();
    await plan(
      manifestOf([
        { type: "fake.function", names: ["f"] },
        // names the companion's group, but a plugin may list by the prefix alone, which leaves it out
        {
          type: "fake.log-group",
          names: ["/other/x", "/aws/lambda/f"],
          match: { prefix: "/other/" },
          options: { keepDays: 7 },
        },
      ]),
      registryOf(fn, logs),
    );
    expect(logGroupListings()).toEqual([
      { names: ["/other/x", "/aws/lambda/f"], prefix: "/other/" },
      { names: ["/aws/lambda/f"], prefix: "/aws/lambda/f" },
    ]);
  });

  it("order before: the owner waits for the companion", async () => {
    const { fn, logs } = types();
    cloud.add("fake.function", R, {
      id: "f",
      companions: [{ type: "fake.log-group", names: ["g"], order: "before", reason: "r" }],
    });
    cloud.add("fake.log-group", R, { id: "g" });
    const p = await plan(manifestOf([{ type: "fake.function", names: ["f"] }]), registryOf(fn, logs));
    expect(byKey(p).get(key("fake.function", "f"))!.dependsOn).toEqual([key("fake.log-group", "g")]);
    expect(byKey(p).get(key("fake.log-group", "g"))!.dependsOn).toEqual([]);
  });

  it("a companion no plugin has is a warning; a missing companion is nothing", async () => {
    const { fn, logs } = types();
    cloud.add("fake.function", R, {
      id: "f",
      companions: [
        { type: "nope.thing", names: ["x"], order: "after", reason: "the thing" },
        { type: "fake.log-group", names: ["absent"], order: "after", reason: "the group" },
      ],
    });
    const p = await plan(manifestOf([{ type: "fake.function", names: ["f"] }]), registryOf(fn, logs));
    expect(p.resources.map((r) => r.key)).toEqual([key("fake.function", "f")]);
    expect(p.notices).toEqual([
      { level: "warning", message: "fake.function f: the thing (x) is left in place: no loaded plugin has nope.thing" },
    ]);
  });

  it("companions of companions", async () => {
    const { fn, logs, stream } = types();
    cloud.add("fake.function", R, {
      id: "f",
      companions: [{ type: "fake.log-group", names: ["g"], order: "after", reason: "group" }],
    });
    cloud.add("fake.log-group", R, {
      id: "g",
      companions: [{ type: "fake.stream", names: ["s"], order: "after", reason: "stream" }],
    });
    cloud.add("fake.stream", R, { id: "s" });
    const p = await plan(manifestOf([{ type: "fake.function", names: ["f"] }]), registryOf(fn, logs, stream));
    expect(byKey(p).get(key("fake.stream", "s"))).toMatchObject({
      companionOf: { key: key("fake.log-group", "g"), reason: "stream" },
      dependsOn: [key("fake.log-group", "g")],
    });
  });

  it("a protected owner brings no companions: what goes with it stays with it", async () => {
    const { fn, logs } = types();
    cloud.add("fake.function", R, {
      id: "f",
      protectedReason: "managed",
      companions: [
        { type: "fake.log-group", names: ["g"], order: "after", reason: "group" },
        { type: "fake.log-group", names: ["h"], order: "before", reason: "group" },
      ],
    });
    cloud.add("fake.log-group", R, { id: "g" });
    cloud.add("fake.log-group", R, { id: "h" });
    const p = await plan(manifestOf([{ type: "fake.function", names: ["f"] }]), registryOf(fn, logs));
    expect(p.resources.map((r) => [r.key, r.action])).toEqual([[key("fake.function", "f"), "protected"]]);
  });

  it("a companion of a global owner is looked for in the home region", async () => {
    const role = fakeType(cloud, { type: "fake.role", scope: "global" });
    const { logs } = types();
    cloud.add("fake.role", "global", {
      id: "r",
      companions: [{ type: "fake.log-group", names: ["g"], order: "after", reason: "x" }],
    });
    cloud.add("fake.log-group", R, { id: "g" });
    const p = await plan(manifestOf([{ type: "fake.role", names: ["r"] }]), registryOf(role, logs), {
      regions: ["eu-west-1"],
    });
    expect(byKey(p).get(key("fake.log-group", "g"))!.dependsOn).toEqual([key("fake.role", "r", "global")]);
  });
});

describe("dependencies", () => {
  it("type-level dependsOn: every resource of the type waits for every planned resource of the other", async () => {
    const api = fakeType(cloud, { type: "fake.api" });
    const domain = fakeType(cloud, { type: "fake.domain" });
    const pool = fakeType(cloud, { type: "fake.pool", dependsOn: ["fake.domain", "fake.api"] });
    cloud.add("fake.api", R, { id: "a1" });
    cloud.add("fake.domain", R, { id: "d1" });
    cloud.add("fake.domain", R, { id: "d2" });
    cloud.add("fake.pool", R, { id: "p1" });
    const p = await plan(
      manifestOf([
        { type: "fake.pool", match: { all: true } },
        { type: "fake.domain", match: { all: true } },
      ]),
      registryOf(api, domain, pool),
    );
    // One barrier per type, not an edge per pair; fake.api has nothing planned, so nothing to wait for.
    expect(p.typeDependencies).toEqual({ "fake.pool": ["fake.domain"] });
    expect(byKey(p).get(key("fake.pool", "p1"))!.dependsOn).toEqual([]);
  });

  it("* means every other type that does not itself depend on *", async () => {
    const a = fakeType(cloud, { type: "fake.a" });
    const b = fakeType(cloud, { type: "fake.b" });
    const role = fakeType(cloud, { type: "fake.role", dependsOn: ["*"] });
    const policy = fakeType(cloud, { type: "fake.policy", dependsOn: ["*"] });
    for (const [t, id] of [
      ["fake.a", "a"],
      ["fake.b", "b"],
      ["fake.role", "r1"],
      ["fake.role", "r2"],
      ["fake.policy", "p"],
    ] as const) {
      cloud.add(t, R, { id });
    }
    const p = await plan(
      manifestOf(
        ["fake.a", "fake.b", "fake.role", "fake.policy"].map((type) => ({ type: type as "x.y", match: { all: true } })),
      ),
      registryOf(a, b, role, policy),
    );
    expect(p.typeDependencies).toEqual({ "fake.policy": ["fake.a", "fake.b"], "fake.role": ["fake.a", "fake.b"] });
    expect(byKey(p).get(key("fake.role", "r1"))!.dependsOn).toEqual([]);
    expect(p.notices).toEqual([]);
  });

  it("instance-level dependsOn refs: to planned resources only, global refs in region global", async () => {
    const table = fakeType(cloud, { type: "fake.table" });
    const role = fakeType(cloud, { type: "fake.role", scope: "global" });
    cloud.add("fake.table", R, {
      id: "t1",
      dependsOn: [
        { type: "fake.table", id: "t2" },
        { type: "fake.table", id: "t3", region: "eu-west-1" },
        { type: "fake.role", id: "r" },
        { type: "fake.table", id: "not-planned" },
      ],
    });
    cloud.add("fake.table", R, { id: "t2" });
    cloud.add("fake.table", "eu-west-1", { id: "t3" });
    cloud.add("fake.role", "global", { id: "r" });
    const p = await plan(
      manifestOf([
        { type: "fake.table", match: { prefix: "t" } },
        { type: "fake.role", names: ["r"] },
      ]),
      registryOf(table, role),
      { regions: [R, "eu-west-1"] },
    );
    expect(byKey(p).get(key("fake.table", "t1"))!.dependsOn).toEqual([
      key("fake.role", "r", "global"),
      key("fake.table", "t3", "eu-west-1"),
      key("fake.table", "t2"),
    ]);
  });

  it("a cycle is an error notice", async () => {
    const table = fakeType(cloud, { type: "fake.table" });
    cloud.add("fake.table", R, { id: "a", dependsOn: [{ type: "fake.table", id: "b" }] });
    cloud.add("fake.table", R, { id: "b", dependsOn: [{ type: "fake.table", id: "a" }] });
    cloud.add("fake.table", R, { id: "c" });
    const p = await plan(manifestOf([{ type: "fake.table", match: { all: true } }]), registryOf(table));
    expect(p.notices).toEqual([
      {
        level: "error",
        message: `dependency cycle: ${key("fake.table", "a")} -> ${key("fake.table", "b")} -> ${key("fake.table", "a")}`,
      },
    ]);
  });

  it("findCycle", () => {
    const a = planned("fake.t", "a", { dependsOn: [resourceKey("fake.t", R, "b")] });
    const b = planned("fake.t", "b", { dependsOn: [resourceKey("fake.t", R, "c")] });
    const c = planned("fake.t", "c", { dependsOn: [] });
    expect(findCycle([a, b, c])).toBeUndefined();
    const c2 = planned("fake.t", "c", { dependsOn: [a.key] });
    expect(findCycle([a, b, c2])).toEqual([a.key, b.key, c2.key, a.key]);
    const self = planned("fake.t", "s");
    self.dependsOn.push(self.key);
    expect(findCycle([self])).toEqual([self.key, self.key]);
  });
});

describe("paces", () => {
  it("the least time each rate budget imposes, per account or per region", async () => {
    const api = fakeType(cloud, {
      type: "fake.api",
      rateBudgets: [{ key: "fake:DeleteApi", calls: 1, perMs: 30_000, scope: "account" }],
    });
    const fn = fakeType(cloud, {
      type: "fake.function",
      rateBudgets: [{ key: "fake:DeleteFunction", calls: 2, perMs: 1_000, scope: "region" }],
    });
    for (const region of [R, "eu-west-1"]) {
      cloud.add("fake.api", region, { id: "a1" });
      cloud.add("fake.api", region, { id: "a2" });
      cloud.add("fake.function", region, { id: "f1" });
    }
    cloud.add("fake.api", R, { id: "a3", protectedReason: "kept" });
    cloud.add("fake.function", R, { id: "f2" });
    cloud.add("fake.function", R, { id: "f3" });
    const p = await plan(
      manifestOf([
        { type: "fake.api", match: { all: true } },
        { type: "fake.function", match: { all: true } },
      ]),
      registryOf(api, fn),
      { regions: [R, "eu-west-1"] },
    );
    expect(p.paces.sort((x, y) => x.budget.localeCompare(y.budget))).toEqual([
      { budget: "fake:DeleteApi", resources: 4, minimumMs: 90_000 },
      { budget: "fake:DeleteFunction@eu-west-1", resources: 1, minimumMs: 0 },
      { budget: "fake:DeleteFunction@us-east-1", resources: 3, minimumMs: 1_000 },
    ]);
  });
});

describe("read-only planning", () => {
  it("a discover that tries a call that is not a read is refused, before it is sent", async () => {
    sts.on(AssumeRoleCommand).resolves({});
    const sneaky = fakeType(cloud, {
      type: "fake.sneaky",
      onDiscover: async (ctx) => {
        await ctx
          .client(STSClient)
          .send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/x", RoleSessionName: "s" }));
      },
    });
    const table = fakeType(cloud, { type: "fake.table" });
    cloud.add("fake.table", R, { id: "t" });
    const p = await plan(
      manifestOf([
        { type: "fake.sneaky", match: { all: true } },
        { type: "fake.table", match: { all: true } },
      ]),
      registryOf(sneaky, table),
      { readOnly: true },
    );
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(p.notices).toEqual([
      expect.objectContaining({
        level: "error",
        type: "fake.sneaky",
        message: expect.stringMatching(/refused STS AssumeRole/),
      }),
    ]);
    expect(p.resources.map((r) => r.key)).toEqual([key("fake.table", "t")]);
  });
});
