import { setMaxListeners } from "node:events";
import { Value } from "@sinclair/typebox/value";
import {
  classifyAwsError,
  type DiscoveryHints,
  type Found,
  type RateBudget,
  type ResourceContext,
  type ResourceType,
} from "@cleanup-runner/plugin-kit";
import pLimit from "p-limit";
import type { Logger } from "pino";
import type { AwsSession } from "./aws/session.js";
import type { Clock } from "./clock.js";
import type { EngineEvents } from "./events.js";
import type { ResolvedManifest } from "./manifest/load.js";
import { resourceKey, type Plan, type PlannedResource, type PlanNotice } from "./plan.js";
import { RateBudgets } from "./rate-budget.js";
import type { Registry } from "./registry.js";
import { deniedActionOf } from "./resource-errors.js";
import { hintsFor, mayBeSelected, needsCreatedAt, needsTags, selects, type Selector } from "./selector.js";

/** How many times a discovery that was throttled (or hit a transient fault) is tried. */
const DISCOVERY_ATTEMPTS = 6;

/** What planning needs. */
export interface PlanSettings {
  readonly manifest: ResolvedManifest;
  readonly registry: Registry;
  readonly session: AwsSession;
  readonly regions: readonly string[];
  readonly logger: Logger;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly events?: EngineEvents;
  /** How many list/describe calls run at once (default 8). */
  readonly concurrency?: number;
}

/** Builds the ResourceContext a plugin sees, for planning and for deleting. */
export function makeContext(
  session: AwsSession,
  resource: ResourceType,
  region: string,
  options: Record<string, unknown>,
  identity: { accountId: string; partition: string },
  extras: { logger: Logger; signal: AbortSignal; clock: Clock; progress?: (message: string) => void },
): ResourceContext {
  return {
    region,
    accountId: identity.accountId,
    partition: identity.partition,
    options,
    logger: extras.logger,
    signal: extras.signal,
    client: (clientClass, inRegion) => session.client(clientClass, inRegion ?? region),
    progress: extras.progress ?? (() => undefined),
    sleep: async (ms) => {
      await extras.clock.sleep(ms, extras.signal);
      // As the contract says: rejects when aborted, so a plugin waiting in a loop cannot spin after Ctrl-C.
      if (extras.signal.aborted) throw interruptedError();
    },
    now: () => extras.clock.now(),
  };
}

/**
 * What makes contexts interchangeable: resources of one type, region and
 * options can share a listing (planning) or a batched verify (deleting).
 */
export function contextKey(type: string, region: string, options: Record<string, unknown>): string {
  return `${type}|${region}|${JSON.stringify(options)}`;
}

/** What `ctx.sleep` rejects with once the run is interrupted (a standard AbortError). */
function interruptedError(): Error {
  const error = new Error("the run was interrupted");
  error.name = "AbortError";
  return error;
}

/** True for an AbortError, or a (classified) error caused by one. */
export function isInterruption(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === "AbortError") return true;
  }
  return false;
}

/** Every resource a discover yields, with the hints given. */
async function discoverAll(resource: ResourceType, ctx: ResourceContext, hints: DiscoveryHints): Promise<Found[]> {
  const out: Found[] = [];
  for await (const found of resource.discover(ctx, hints)) out.push(found);
  return out;
}

/**
 * Hints one listing may push down for several selections: exact names only
 * when every selection names its resources, a prefix only as long as all of
 * theirs share. Each selection still filters the listing by its own selector.
 */
export function mergeHints(hints: readonly DiscoveryHints[]): DiscoveryHints {
  if (hints.length === 1) return hints[0]!;
  const names = hints.every((h) => h.names) ? [...new Set(hints.flatMap((h) => h.names!))] : undefined;
  let prefix: string | undefined = hints.every((h) => h.prefix) ? hints[0]!.prefix! : undefined;
  for (const h of hints) while (prefix && !h.prefix!.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return { ...(names ? { names } : {}), ...(prefix ? { prefix } : {}) };
}

/**
 * Whether a listing made with hints `listed` holds everything one with
 * `wanted` would: hints only narrow a listing, so a listing by names holds
 * those names, and one by prefix every name with that prefix. A plugin may
 * narrow by either hint, so a listing given both covers only what both allow.
 */
export function coversHints(listed: DiscoveryHints, wanted: DiscoveryHints): boolean {
  if (listed.names && !(wanted.names?.every((n) => listed.names!.includes(n)) ?? false)) return false;
  if (listed.prefix === undefined) return true;
  if (wanted.names) return wanted.names.every((n) => n.startsWith(listed.prefix!));
  return wanted.prefix !== undefined && wanted.prefix.startsWith(listed.prefix);
}

/** The type's default options (for companions, which no entry configures). */
function defaultOptions(resource: ResourceType): Record<string, unknown> {
  return resource.options ? (Value.Default(resource.options, {}) as Record<string, unknown>) : {};
}

interface Selection {
  readonly resource: ResourceType;
  readonly region: string;
  readonly selector: Selector;
  readonly options: Record<string, unknown>;
  readonly entry?: PlannedResource["entry"];
  readonly source?: PlannedResource["source"];
  readonly matrix?: PlannedResource["matrix"];
  readonly companionOf?: { key: string; reason: string; order: "after" | "before" };
}

/**
 * Discovers what the manifest selects, read-only, and builds the plan:
 * resources, protected skips with reasons, companions, dependency edges.
 * A failing discovery becomes an error notice; the other entries go on.
 */
export async function buildPlan(settings: PlanSettings): Promise<Plan> {
  const { manifest, registry, session, logger, clock, signal } = settings;
  setMaxListeners(0, signal); // every waiting read listens on the one run signal
  const identity = await session.identity();
  // Two pools: listings (one per entry and region), and the per-resource reads they lead to.
  const listingSlots = pLimit(settings.concurrency ?? 8);
  const limit = pLimit(settings.concurrency ?? 8);
  const now = clock.now();
  const planned = new Map<string, PlannedResource>();
  const notices: PlanNotice[] = [];
  const extraEdges: [string, string][] = []; // [dependent, dependency]

  const contextFor = (resource: ResourceType, region: string, options: Record<string, unknown>) =>
    makeContext(session, resource, region, options, identity, {
      logger: logger.child({ type: resource.type, region }),
      signal,
      clock,
    });

  // Entries of one type, region and options (a matrix makes one per student) share one listing,
  // with hints every one of them allows: N entries cost one listing of the account, not N.
  const listings = new Map<string, Promise<Found[]>>();
  const sharedHints = new Map<string, DiscoveryHints>();
  const listingKey = (s: Selection) => contextKey(s.resource.type, s.region, s.options);

  /**
   * Prepares one batch of selections: the hints each shared listing may push down. A listing an
   * earlier batch made with hints that cover this batch's answers it again (the companion log groups
   * of the functions an entry of `/aws/lambda/student-` log groups already listed).
   */
  function shareListings(batch: readonly Selection[]): void {
    const groups = new Map<string, DiscoveryHints[]>();
    for (const selection of batch) {
      const key = listingKey(selection);
      groups.set(key, [...(groups.get(key) ?? []), hintsFor(selection.selector)]);
    }
    const earlier = new Map(sharedHints);
    sharedHints.clear();
    for (const [key, hints] of groups) sharedHints.set(key, mergeHints(hints));
    for (const key of [...listings.keys()]) {
      const wanted = sharedHints.get(key);
      const listedWith = earlier.get(key);
      if (wanted && listedWith && coversHints(listedWith, wanted)) sharedHints.set(key, listedWith);
      else listings.delete(key);
    }
  }

  /** The listing a selection filters: shared with its group, listed once (again after a failure). */
  function listing(selection: Selection, ctx: ResourceContext): Promise<Found[]> {
    const key = listingKey(selection);
    let listed = listings.get(key);
    if (!listed) {
      const { resource, region } = selection;
      settings.events?.({ kind: "discovering", type: resource.type, region });
      const hints = sharedHints.get(key) ?? hintsFor(selection.selector);
      listed = discoverAll(resource, ctx, hints);
      listings.set(key, listed);
      listed.catch(() => listings.delete(key));
    }
    return listed;
  }

  // Entries that select the same resource with the same options (each student's matrix entry naming one
  // shared resource) share its describe: describing it once per entry would read its children N times.
  const describes = new Map<string, Promise<Found>>();

  /** Describes a resource once per type, region, options and id; the caller's tags are kept. */
  async function describeOnce(selection: Selection, ctx: ResourceContext, found: Found): Promise<Found> {
    const key = `${listingKey(selection)}|${found.region ?? ""}|${found.id}`;
    let described = describes.get(key);
    if (!described) {
      described = selection.resource.describe!(ctx, found);
      describes.set(key, described);
      described.catch(() => describes.delete(key));
    }
    const result = await described;
    return found.tags !== undefined && result.tags === undefined ? { ...result, tags: found.tags } : result;
  }

  /** Runs one selection: filter its listing, read tags, describe. Returns what it planned. */
  async function select(selection: Selection): Promise<PlannedResource[]> {
    const { resource, region, selector } = selection;
    const ctx = contextFor(resource, region, selection.options);
    const candidates = (await listing(selection, ctx)).filter((found) => mayBeSelected(selector, found.name));
    const out: PlannedResource[] = [];
    await Promise.all(
      candidates.map((candidate) =>
        limit(async () => {
          let found = candidate;
          let described = false;
          if (needsTags(selector) && found.tags === undefined && resource.readTags) {
            found = { ...found, tags: await resource.readTags(ctx, found) };
          }
          if (resource.describe && needsCreatedAt(selector) && found.createdAt === undefined) {
            found = await describeOnce(selection, ctx, found);
            described = true;
          }
          if (!selects(selector, found, now)) return;
          if (resource.describe && !described) found = await describeOnce(selection, ctx, found);
          const where = resource.scope === "global" ? "global" : (found.region ?? region);
          const key = resourceKey(resource.type, where, found.id);
          const existing = planned.get(key);
          if (existing) {
            out.push(existing);
            return;
          }
          const reason = resource.protectedReason?.(found) ?? found.protectedReason;
          const item: PlannedResource = {
            key,
            type: resource.type,
            region: where,
            found,
            action: reason ? "protected" : "delete",
            ...(reason ? { reason } : {}),
            options: selection.options,
            dependsOn: [],
            ...(selection.entry !== undefined ? { entry: selection.entry } : {}),
            ...(selection.source ? { source: selection.source } : {}),
            ...(selection.matrix ? { matrix: selection.matrix } : {}),
            ...(selection.companionOf
              ? { companionOf: { key: selection.companionOf.key, reason: selection.companionOf.reason } }
              : {}),
          };
          planned.set(key, item);
          out.push(item);
        }),
      ),
    );
    return out;
  }

  /**
   * Runs a selection; throttling and transient faults that outlived the SDK's
   * own retries are retried with backoff (a selection is read-only, so it can
   * simply run again); anything else becomes an error notice.
   */
  async function guarded(selection: Selection): Promise<PlannedResource[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await listingSlots(() => {
          // Interrupted: what is not discovered yet is not planned, and the plan says so.
          if (signal.aborted) {
            if (!notices.some((n) => n.message.startsWith("interrupted"))) {
              notices.push({ level: "error", message: "interrupted: discovery stopped before every entry was read" });
            }
            return Promise.resolve([]);
          }
          return select(selection);
        });
      } catch (error) {
        const classified = classifyAwsError(error);
        if (classified.retryable && attempt < DISCOVERY_ATTEMPTS && !signal.aborted) {
          await clock.sleep(Math.min(1_000 * 2 ** (attempt - 1), 30_000) * (0.5 + Math.random() / 2), signal);
          continue;
        }
        const denied = deniedActionOf(classified);
        notices.push({
          level: "error",
          type: selection.resource.type,
          region: selection.region,
          message:
            `could not discover ${selection.resource.type} in ${selection.region}: ${classified.message}` +
            (denied ? ` (grant ${denied})` : ""),
        });
        logger.debug({ err: error, type: selection.resource.type, region: selection.region }, "discovery failed");
        return [];
      }
    }
  }

  // 1. What the entries select, every entry in every region (global types once).
  const selections: Selection[] = [];
  for (const entry of manifest.entries) {
    const resource = registry.get(entry.type)!;
    const regions = resource.scope === "global" ? [session.region] : settings.regions;
    for (const region of regions) {
      selections.push({
        resource,
        region,
        selector: entry,
        options: entry.options,
        entry: entry.index,
        ...(entry.source ? { source: entry.source } : {}),
        ...(entry.matrix ? { matrix: entry.matrix } : {}),
      });
    }
  }
  shareListings(selections);
  let wave = await Promise.all(selections.map(guarded));

  // 2. Companions (a function's log group, a dataset group's campaigns), until none are new.
  const seenCompanions = new Set<string>();
  for (let round = 0; round < 10 && wave.flat().length > 0; round++) {
    const next: Selection[] = [];
    for (const owner of wave.flat()) {
      // A protected resource stays, and so does what goes with it.
      if (owner.action !== "delete") continue;
      for (const companion of owner.found.companions ?? []) {
        const id = `${owner.key}>${companion.type}:${companion.names.join(",")}`;
        if (seenCompanions.has(id)) continue;
        seenCompanions.add(id);
        const resource = registry.get(companion.type);
        if (!resource) {
          notices.push({
            level: "warning",
            message: `${owner.type} ${owner.found.name}: ${companion.reason} (${companion.names.join(", ")}) is left in place: no loaded plugin has ${companion.type}`,
          });
          continue;
        }
        next.push({
          resource,
          region: owner.region === "global" ? session.region : owner.region,
          selector: { names: companion.names },
          options: defaultOptions(resource),
          ...(owner.source ? { source: owner.source } : {}),
          ...(owner.matrix ? { matrix: owner.matrix } : {}),
          companionOf: { key: owner.key, reason: companion.reason, order: companion.order },
        });
      }
    }
    shareListings(next);
    wave = await Promise.all(
      next.map(async (selection) => {
        const found = await guarded(selection);
        const { key: ownerKey, order } = selection.companionOf!;
        for (const item of found) {
          extraEdges.push(order === "after" ? [item.key, ownerKey] : [ownerKey, item.key]);
        }
        return found;
      }),
    );
  }

  const resources = [...planned.values()].sort((a, b) => a.key.localeCompare(b.key));
  linkDependencies(resources, registry, extraEdges);
  const typeDeps = typeDependencies(resources, registry);
  const cycle = findCycle(resources, typeDeps);
  if (cycle) notices.push({ level: "error", message: `dependency cycle: ${cycle.join(" -> ")}` });
  return {
    version: 1,
    createdAt: new Date(now).toISOString(),
    manifest: { file: manifest.file, name: manifest.name },
    plugins: manifest.plugins,
    accountId: identity.accountId,
    partition: identity.partition,
    regions: [...settings.regions],
    resources,
    typeDependencies: typeDeps,
    notices,
    paces: paces(resources, registry),
  };
}

/**
 * For each type with resources to delete, the types whose resources must all
 * be gone first: its `dependsOn`, with `*` standing for every other type in
 * the plan that does not itself depend on `*`. Kept per type (a barrier), not
 * as an edge per pair of resources, which would grow with the square of the plan.
 */
export function typeDependencies(resources: readonly PlannedResource[], registry: Registry): Record<string, string[]> {
  const present = [...new Set(resources.filter((r) => r.action === "delete").map((r) => r.type))].sort();
  const wildcard = (type: string) => registry.get(type)?.dependsOn?.includes("*") ?? false;
  const out: Record<string, string[]> = {};
  for (const type of present) {
    const deps = new Set<string>();
    for (const dep of registry.get(type)?.dependsOn ?? []) {
      for (const t of dep === "*" ? present.filter((x) => !wildcard(x)) : [dep]) {
        if (t !== type && present.includes(t)) deps.add(t);
      }
    }
    if (deps.size) out[type] = [...deps].sort();
  }
  return out;
}

/** Fills each resource's `dependsOn` from instance-level and companion edges. */
function linkDependencies(resources: PlannedResource[], registry: Registry, extra: [string, string][]): void {
  const byKey = new Map(resources.map((r) => [r.key, r]));
  const extraOf = new Map<string, string[]>();
  for (const [dependent, dependency] of extra) extraOf.set(dependent, [...(extraOf.get(dependent) ?? []), dependency]);
  for (const r of resources) {
    if (r.action !== "delete") continue;
    const deps = new Set<string>();
    for (const ref of r.found.dependsOn ?? []) {
      const region = registry.get(ref.type)?.scope === "global" ? "global" : (ref.region ?? r.region);
      const key = resourceKey(ref.type, region, ref.id);
      if (byKey.get(key)?.action === "delete") deps.add(key);
    }
    for (const dependency of extraOf.get(r.key) ?? []) {
      if (byKey.get(dependency)?.action === "delete") deps.add(dependency);
    }
    deps.delete(r.key);
    r.dependsOn.push(...[...deps].sort());
  }
}

/**
 * A dependency cycle among the resources to delete, if there is one, through
 * resource edges and type barriers alike (a type is a node standing for all
 * its resources).
 */
export function findCycle(
  resources: readonly PlannedResource[],
  typeDeps: Readonly<Record<string, readonly string[]>> = {},
): string[] | undefined {
  const toDelete = resources.filter((r) => r.action === "delete");
  const byKey = new Map(toDelete.map((r) => [r.key, r]));
  const ofType = new Map<string, string[]>();
  for (const r of toDelete) {
    const keys = ofType.get(r.type);
    if (keys) keys.push(r.key);
    else ofType.set(r.type, [r.key]);
  }
  const next = (node: string): readonly string[] => {
    if (node.startsWith("type:")) return ofType.get(node.slice(5)) ?? [];
    const r = byKey.get(node);
    return r ? [...r.dependsOn, ...(typeDeps[r.type] ?? []).map((t) => `type:${t}`)] : [];
  };
  const state = new Map<string, "visiting" | "done">();
  for (const start of [...byKey.keys()]) {
    if (state.has(start)) continue;
    // Iterative depth-first search: a long chain must not overflow the stack.
    const stack: { node: string; edges: readonly string[]; i: number }[] = [{ node: start, edges: next(start), i: 0 }];
    state.set(start, "visiting");
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.i >= top.edges.length) {
        state.set(top.node, "done");
        stack.pop();
        continue;
      }
      const dep = top.edges[top.i++]!;
      if (state.get(dep) === "visiting") {
        const path = stack.map((f) => f.node);
        return [...path.slice(path.indexOf(dep)), dep].filter((n) => !n.startsWith("type:"));
      }
      if (!state.has(dep)) {
        state.set(dep, "visiting");
        stack.push({ node: dep, edges: next(dep), i: 0 });
      }
    }
  }
  return undefined;
}

/** The least time each rate budget will impose on this plan. */
function paces(resources: readonly PlannedResource[], registry: Registry): Plan["paces"] {
  const counts = new Map<string, { budget: RateBudget; n: number }>();
  for (const r of resources) {
    if (r.action !== "delete") continue;
    for (const budget of registry.get(r.type)?.rateBudgets ?? []) {
      const key = RateBudgets.keyOf(budget, r.region);
      const entry = counts.get(key) ?? { budget, n: 0 };
      entry.n++;
      counts.set(key, entry);
    }
  }
  return [...counts.entries()].map(([key, { budget, n }]) => ({
    budget: key,
    resources: n,
    minimumMs: RateBudgets.minimumDuration(budget, n),
  }));
}
