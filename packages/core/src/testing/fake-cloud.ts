/**
 * Test fixtures for the engine: an in-memory "cloud" and synthetic resource
 * types backed by it, so planner and executor tests need no AWS service.
 */
import {
  AccessDeniedError,
  DependencyPendingError,
  NotFoundError,
  defineResource,
  definePlugin,
  type Child,
  type Companion,
  type Found,
  type RateBudget,
  type ResourceRef,
  type ResourceType,
  type ResourceTypeName,
  type VerifyResult,
} from "@cleanup-runner/plugin-kit";
import type { TObject, TProperties } from "@sinclair/typebox";
import pino from "pino";
import { AwsSession } from "../aws/session.js";
import type { ResolvedEntry, ResolvedManifest } from "../manifest/load.js";
import { resourceKey, type Plan, type PlannedResource } from "../plan.js";
import { Registry } from "../registry.js";

/** One resource of the fake cloud. */
export interface FakeItem {
  readonly type: string;
  /** A region, or `global` for a global type. */
  readonly region: string;
  readonly id: string;
  readonly name: string;
  tags?: Record<string, string>;
  createdAt?: string;
  /** `deleting` once an async delete was accepted. */
  state: "present" | "deleting";
  /** After delete: how many verify reads still say `deleting` (0 = gone at once). */
  deletingPolls?: number;
  /** Thrown by the next delete attempts, one per attempt, in order. */
  failures?: Error[];
  /** Every delete attempt throws DependencyPending while this key (`type|region|id`) is in the cloud. */
  pendingUntilGone?: string;
  /** Every delete attempt is denied this IAM action. */
  denied?: string;
  /** A delete call takes this long (real setTimeout, so fake timers drive it). */
  deleteMs?: number;
  /** What describe adds. */
  protectedReason?: string;
  dependsOn?: ResourceRef[];
  companions?: Companion[];
  children?: Child[];
}

/** One call a fake type received. */
export interface FakeCall {
  readonly op: "discover" | "readTags" | "describe" | "delete" | "verify" | "verifyAll";
  readonly type: string;
  readonly region: string;
  readonly id?: string;
  /** For verifyAll: the ids it was given. */
  readonly ids?: string[];
  /** Date.now() when called (fake under vitest fake timers). */
  readonly at: number;
  /** For discover: the hints it was given. */
  readonly hints?: unknown;
  /** For delete: when the call returned or threw. */
  end?: number;
}

/** The in-memory cloud that fake types list and delete from. */
export class FakeCloud {
  readonly items = new Map<string, FakeItem>();
  readonly calls: FakeCall[] = [];
  /** Delete calls in flight now, and the most seen at once, overall and per service. */
  inFlight = 0;
  maxInFlight = 0;
  readonly inFlightByService = new Map<string, number>();
  readonly maxInFlightByService = new Map<string, number>();

  /** Adds a resource; `region` is `global` for a global type. */
  add(type: string, region: string, item: Partial<FakeItem> & { id: string; name?: string }): FakeItem {
    const full: FakeItem = { state: "present", ...item, type, region, id: item.id, name: item.name ?? item.id };
    this.items.set(resourceKey(type, region, item.id), full);
    return full;
  }

  has(type: string, region: string, id: string): boolean {
    return this.items.has(resourceKey(type, region, id));
  }

  /** Ids of what is left, sorted. */
  left(): string[] {
    return [...this.items.keys()].sort();
  }

  /** Calls of one kind, optionally for one id. */
  callsOf(op: FakeCall["op"], id?: string): FakeCall[] {
    return this.calls.filter((c) => c.op === op && (id === undefined || c.id === id));
  }
}

/** What a fake type looks like; everything has a default. */
export interface FakeTypeSpec<O extends TProperties = TProperties> {
  readonly type: ResourceTypeName;
  readonly scope?: "regional" | "global";
  readonly dependsOn?: readonly (ResourceTypeName | "*")[];
  readonly rateBudgets?: readonly RateBudget[];
  readonly options?: TObject<O>;
  readonly pollIntervalMs?: number;
  readonly deadlineMs?: number;
  /** False: discover yields no tags, readTags reads them. Default true. */
  readonly tagsInList?: boolean;
  /** False: discover yields no creation date, describe reads it. Default true. */
  readonly createdAtInList?: boolean;
  /** False: the type has no describe. Default true. */
  readonly describe?: boolean;
  /** A type-level protection rule. */
  readonly protectedReason?: (found: Found) => string | undefined;
  /** Discover throws this (after yielding nothing). */
  readonly discoverError?: Error;
  /** True: the type answers several verifies with one `verifyAll` call. Default false. */
  readonly verifyAll?: boolean;
  /** Runs at the start of discover, e.g. to make an SDK call through `ctx.client` (read-only tests). */
  readonly onDiscover?: (ctx: Parameters<ResourceType["discover"]>[0]) => Promise<void>;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A resource type of the fake cloud. */
export function fakeType<O extends TProperties = TProperties>(
  cloud: FakeCloud,
  spec: FakeTypeSpec<O>,
): ResourceType<O> {
  const service = spec.type.split(".")[0]!;
  const where = (region: string) => (spec.scope === "global" ? "global" : region);
  const regionOf = (ctxRegion: string, found: Found) => where(found.region ?? ctxRegion);
  const itemOf = (ctxRegion: string, found: Found) =>
    cloud.items.get(resourceKey(spec.type, regionOf(ctxRegion, found), found.id));
  const base = (item: FakeItem): Found => ({
    id: item.id,
    name: item.name,
    arn: `arn:aws:${service}:::${item.id}`,
    ...(spec.tagsInList !== false && item.tags ? { tags: { ...item.tags } } : {}),
    ...(spec.tagsInList !== false && !item.tags ? { tags: {} } : {}),
    ...(spec.createdAtInList !== false && item.createdAt ? { createdAt: item.createdAt } : {}),
  });
  /** What a verifying read sees; an item deleting for a number of polls counts one down. */
  const stateOf = (ctxRegion: string, found: Found): VerifyResult => {
    const item = itemOf(ctxRegion, found);
    if (!item) return "gone";
    if (item.state === "present") return "present";
    if (item.deletingPolls) {
      item.deletingPolls--;
      return "deleting";
    }
    cloud.items.delete(resourceKey(item.type, item.region, item.id));
    return "gone";
  };
  return defineResource<O>({
    type: spec.type,
    description: `fake ${spec.type}`,
    scope: spec.scope ?? "regional",
    ...(spec.dependsOn ? { dependsOn: spec.dependsOn } : {}),
    ...(spec.rateBudgets ? { rateBudgets: spec.rateBudgets } : {}),
    ...(spec.options ? { options: spec.options } : {}),
    ...(spec.pollIntervalMs !== undefined ? { pollIntervalMs: spec.pollIntervalMs } : {}),
    ...(spec.deadlineMs !== undefined ? { deadlineMs: spec.deadlineMs } : {}),
    ...(spec.protectedReason ? { protectedReason: spec.protectedReason } : {}),
    async *discover(ctx, hints) {
      cloud.calls.push({ op: "discover", type: spec.type, region: ctx.region, at: Date.now(), hints });
      await spec.onDiscover?.(ctx);
      if (spec.discoverError !== undefined) throw spec.discoverError;
      for (const item of [...cloud.items.values()]) {
        if (item.type === spec.type && item.region === where(ctx.region)) yield base(item);
      }
    },
    ...(spec.tagsInList === false
      ? {
          async readTags(ctx, found) {
            cloud.calls.push({ op: "readTags", type: spec.type, region: ctx.region, id: found.id, at: Date.now() });
            return { ...itemOf(ctx.region, found)?.tags };
          },
        }
      : {}),
    ...(spec.describe !== false
      ? {
          async describe(ctx, found) {
            cloud.calls.push({ op: "describe", type: spec.type, region: ctx.region, id: found.id, at: Date.now() });
            const item = itemOf(ctx.region, found);
            if (!item) return found;
            return {
              ...found,
              ...(item.createdAt ? { createdAt: item.createdAt } : {}),
              ...(item.protectedReason ? { protectedReason: item.protectedReason } : {}),
              ...(item.dependsOn ? { dependsOn: item.dependsOn } : {}),
              ...(item.companions ? { companions: item.companions } : {}),
              ...(item.children ? { children: item.children } : {}),
            };
          },
        }
      : {}),
    async delete(ctx, found) {
      const call: FakeCall = { op: "delete", type: spec.type, region: ctx.region, id: found.id, at: Date.now() };
      cloud.calls.push(call);
      cloud.inFlight++;
      cloud.maxInFlight = Math.max(cloud.maxInFlight, cloud.inFlight);
      const n = (cloud.inFlightByService.get(service) ?? 0) + 1;
      cloud.inFlightByService.set(service, n);
      cloud.maxInFlightByService.set(service, Math.max(n, cloud.maxInFlightByService.get(service) ?? 0));
      try {
        const item = itemOf(ctx.region, found);
        if (item?.deleteMs) await delay(item.deleteMs);
        if (!item) throw new NotFoundError(`${found.id} not found`);
        if (item.denied) {
          throw new AccessDeniedError(`not authorized to perform: ${item.denied}`, { action: item.denied });
        }
        const failure = item.failures?.shift();
        if (failure) throw failure;
        if (item.pendingUntilGone && cloud.items.has(item.pendingUntilGone)) {
          throw new DependencyPendingError(`${found.id} waits for ${item.pendingUntilGone}`);
        }
        if (item.deletingPolls) item.state = "deleting";
        else cloud.items.delete(resourceKey(item.type, item.region, item.id));
      } finally {
        call.end = Date.now();
        cloud.inFlight--;
        cloud.inFlightByService.set(service, cloud.inFlightByService.get(service)! - 1);
      }
    },
    async verify(ctx, found): Promise<VerifyResult> {
      cloud.calls.push({ op: "verify", type: spec.type, region: ctx.region, id: found.id, at: Date.now() });
      return stateOf(ctx.region, found);
    },
    ...(spec.verifyAll
      ? {
          async verifyAll(ctx, found): Promise<VerifyResult[]> {
            const ids = found.map((f) => f.id);
            cloud.calls.push({ op: "verifyAll", type: spec.type, region: ctx.region, ids, at: Date.now() });
            return found.map((f) => stateOf(ctx.region, f));
          },
        }
      : {}),
  });
}

/** A registry of the given types, as one plugin. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each type has its own options
export function registryOf(...types: ResourceType<any>[]): Registry {
  return new Registry([definePlugin({ name: "fake", resources: types })]);
}

/** A silent logger. */
export const silentLogger = pino({ level: "silent" });

/** The account the STS mock answers with. */
export const ACCOUNT = "123456789012";

/** A session with test credentials; mock STS (see `mockSts`) before asking its identity. */
export function testSession(readOnly = false, extra: Partial<ConstructorParameters<typeof AwsSession>[0]> = {}) {
  return new AwsSession({
    region: "us-east-1",
    readOnly,
    clientConfig: { credentials: { accessKeyId: "x", secretAccessKey: "y" }, maxAttempts: 1 },
    ...extra,
  });
}

/** A resolved manifest made of entries, as loadManifest would return it. */
export function manifestOf(
  entries: (Omit<ResolvedEntry, "index" | "options"> & { options?: Record<string, unknown> })[],
  extra: Partial<ResolvedManifest> = {},
): ResolvedManifest {
  return {
    file: "/tmp/test.yaml",
    name: "test",
    plugins: [],
    vars: {},
    entries: entries.map((e, index) => ({ ...e, index, options: e.options ?? {} })),
    document: { apiVersion: "cleanup-runner/v1", name: "test", resources: [] },
    ...extra,
  };
}

/** A planned resource to delete, for executor tests that build plans by hand. */
export function planned(
  type: ResourceTypeName,
  id: string,
  extra: Partial<Omit<PlannedResource, "key" | "type">> = {},
): PlannedResource {
  const region = extra.region ?? "us-east-1";
  return {
    key: resourceKey(type, region, id),
    type,
    region,
    found: { id, name: id },
    action: "delete",
    options: {},
    dependsOn: [],
    ...extra,
  };
}

/** A plan of these resources for the test account. */
export function planOf(resources: PlannedResource[], extra: Partial<Plan> = {}): Plan {
  return {
    version: 1,
    createdAt: new Date(0).toISOString(),
    manifest: { file: "/tmp/test.yaml", name: "test" },
    accountId: ACCOUNT,
    partition: "aws",
    regions: ["us-east-1"],
    resources,
    notices: [],
    paces: [],
    ...extra,
  };
}
