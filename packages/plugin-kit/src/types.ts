import type { Static, TObject, TProperties } from "@sinclair/typebox";
import type { Logger } from "pino";

/** A resource type's full name: `service.type`, e.g. `cognito.user-pool`. */
export type ResourceTypeName = `${string}.${string}`;

/**
 * The constructor of an AWS SDK v3 client (`S3Client`, `DynamoDBClient`, ...).
 * The engine builds it with the run's region, credentials, endpoint and retry
 * mode; a plugin never configures a client itself.
 */
export type ClientClass<C> = new (config: Record<string, unknown>) => C;

/**
 * What the engine hands every discover / describe / delete / verify call.
 * One context per resource type, region and (for delete) resource.
 */
export interface ResourceContext<Options = Record<string, unknown>> {
  /** The region this call works in; for a global type, the run's home region. */
  readonly region: string;
  /** The AWS account id of the credentials, read once with STS. */
  readonly accountId: string;
  /** The AWS partition (`aws`, `aws-cn`, ...), for building ARNs. */
  readonly partition: string;
  /**
   * The SDK client for `region` (or another region, e.g. where an S3 bucket
   * lives), built once per run and cached: credentials, endpoint, adaptive
   * retries and API-call counting are already set.
   */
  client<C>(clientClass: ClientClass<C>, region?: string): C;
  /** The entry's `options`, validated against the type's schema, defaults applied. */
  readonly options: Options;
  /** A pino child logger with the type and, for a resource, its id bound. */
  readonly logger: Logger;
  /** Aborted when the person interrupts the run: stop starting new work. */
  readonly signal: AbortSignal;
  /**
   * Reports progress of long work on one resource (e.g. objects deleted while
   * emptying a bucket); shown live by the CLI, never required.
   */
  progress(message: string): void;
  /** Waits `ms` on the engine's clock (fake in tests); rejects when aborted. */
  sleep(ms: number): Promise<void>;
  /**
   * The engine's clock, ms since the epoch (simulated in tests and the
   * bench): for a plugin that reuses one read for a short while, e.g. one
   * listing answering many waits at once.
   */
  now(): number;
}

/**
 * The part of a manifest selector a plugin may push down to the API it lists
 * with. The engine always re-applies the full selector to what discover
 * yields, so pushing down is an optimisation, never a filter of its own.
 */
export interface DiscoveryHints {
  /** Exact names the entry selects, when it selects only by name. */
  readonly names?: readonly string[];
  /**
   * A name prefix every selected resource has: the selector's `prefix`, or
   * what its exact `names` share, whichever is longer.
   */
  readonly prefix?: string;
}

/** Something a resource owns and takes with it when deleted: shown in the plan. */
export interface Child {
  /** What it is, plural: `objects`, `object versions`, `app clients`. */
  readonly kind: string;
  /** How many; omitted when not counted (e.g. too costly to count). */
  readonly count?: number;
  /** Extra words for the plan, e.g. the names of a few. */
  readonly note?: string;
  /** How much it stores, in bytes, when that is known: the plan adds these up (stored log data). */
  readonly bytes?: number;
}

/** A reference to another resource of the plan, by type, region and id. */
export interface ResourceRef {
  /** The resource's type name, e.g. `logs.log-group`. */
  readonly type: ResourceTypeName;
  /** Its id, as that type's discover yields it. */
  readonly id: string;
  /** Its region; defaults to the region of the resource that names it. */
  readonly region?: string;
}

/**
 * A resource that must go together with this one but belongs to another
 * type, possibly of another plugin (a function's log group). The engine
 * discovers it with that type's own discover and plans it like any selected
 * resource; it is never deleted unless its own type finds it.
 */
export interface Companion {
  /** The other type's name; when no loaded plugin has it, the plan says so. */
  readonly type: ResourceTypeName;
  /** The exact names to select with that type. */
  readonly names: readonly string[];
  /**
   * `after`: the companion is deleted only once this resource is gone (a
   * function's log group); `before`: this resource waits until the companion
   * is gone (a dataset group's campaigns).
   */
  readonly order: "after" | "before";
  /** Why it is planned, for the plan: `the function's log group`. */
  readonly reason: string;
}

/**
 * One resource as discover yields it. Everything here must be plain JSON so
 * that `plan --out` can freeze it and `apply --plan` can bring it back.
 */
export interface Found {
  /** Unique among this type's resources in one region; used by delete and verify. */
  readonly id: string;
  /** The name a person knows it by; what `names`, `prefix`, `glob`... match. */
  readonly name: string;
  /** The ARN, when the service has one. */
  readonly arn?: string;
  /** Where it lives, when not the region it was discovered in (S3 buckets). */
  readonly region?: string;
  /** Its tags; `undefined` means not read yet (see `ResourceType.readTags`). */
  tags?: Record<string, string>;
  /** When it was made, ISO 8601; what `olderThan` compares against. */
  createdAt?: string;
  /** Anything delete or the plan needs later, as plain JSON. */
  details?: Record<string, unknown>;
  /** What it owns and takes with it. */
  children?: Child[];
  /**
   * Set by describe when this resource cannot be deleted as things stand
   * (deletion protection without the opt-in, Object Lock): the plan shows it
   * as protected with this reason and delete is never called.
   */
  protectedReason?: string;
  /** Resources of this plan that must be gone before this one is deleted. */
  dependsOn?: ResourceRef[];
  /** Resources of other types that go with this one. */
  companions?: Companion[];
  /** Things the plan should tell a person about (what is left behind, waits). */
  notes?: string[];
}

/** What a fresh read says of a resource after delete. */
export type VerifyResult = "gone" | "deleting" | "present";

/**
 * A shared pace for one API, e.g. DeleteRestApi: 1 call per 30 s per account.
 * Every delete attempt of a type takes one token of each budget it declares,
 * before it starts; types naming the same `key` share the budget.
 */
export interface RateBudget {
  /** Shared name, `service:Operation`, e.g. `apigateway:DeleteRestApi`. */
  readonly key: string;
  /** How many calls the window allows. */
  readonly calls: number;
  /** The window, in milliseconds. */
  readonly perMs: number;
  /** Whether the quota is per account (all regions) or per region. */
  readonly scope: "account" | "region";
}

/** The definition of one resource type: everything the engine needs of it. */
export interface ResourceType<O extends TProperties = TProperties> {
  /** Full name, `service.type`; the manifest says `service` and `type` apart. */
  readonly type: ResourceTypeName;
  /** One sentence for `runner plugins` and the docs. */
  readonly description: string;
  /**
   * `regional` types are discovered in every target region; `global` ones
   * (IAM) once per account, in the run's home region.
   */
  readonly scope: "regional" | "global";
  /**
   * Types whose planned resources must all be gone before any resource of this
   * type is deleted. `*` means every other type in the run that does not
   * itself depend on `*` (e.g. IAM roles outlive what uses them).
   */
  readonly dependsOn?: readonly (ResourceTypeName | "*")[];
  /** The JSON Schema (typebox) of this type's `options`; defaults are applied. */
  readonly options?: TObject<O>;
  /** What the delete removes along with the resource, for docs and the plan. */
  readonly deletesWith?: readonly string[];
  /** Per-API paces the engine keeps for this type's deletes. */
  readonly rateBudgets?: readonly RateBudget[];
  /**
   * How often the engine polls verify while a delete is in progress, and a
   * refused delete's `stillPending` check (default 2 s). Polls space out to
   * a quarter of the time already waited once that is longer, and to the
   * whole time waited while nothing waits for the resource (what depends on
   * it still waits for something else).
   */
  readonly pollIntervalMs?: number;
  /**
   * The delete returns before the resource is gone (DELETE PENDING,
   * DELETING) and verify says "deleting" until it is: the engine's first
   * verify then waits one poll instead of reading at once. Default false.
   */
  readonly deletesAsynchronously?: boolean;
  /** How long a delete, its retries and its wait may take (default 15 min). */
  readonly deadlineMs?: number;

  /**
   * Lists the resources of this type in `ctx.region`, following every page.
   * Read-only. May narrow the listing with `hints`; the engine applies the
   * whole selector afterwards, so a plugin never filters by selector itself.
   */
  discover(ctx: ResourceContext<Static<TObject<O>>>, hints: DiscoveryHints): AsyncIterable<Found>;

  /**
   * Reads the tags of one resource when discover did not (`found.tags`
   * undefined) and the selector needs them. Read-only.
   */
  readTags?(ctx: ResourceContext<Static<TObject<O>>>, found: Found): Promise<Record<string, string>>;

  /**
   * Completes a selected resource for the plan: children, protection,
   * dependencies, companions, creation date. Called only for resources the
   * selector kept, so costly reads are paid only for them. Read-only.
   */
  describe?(ctx: ResourceContext<Static<TObject<O>>>, found: Found): Promise<Found>;

  /**
   * Makes one attempt to delete the resource and what it owns. Throws a
   * classified error (see errors.ts) when it cannot; `NotFoundError` counts
   * as deleted. Must be safe to call again after a partial attempt.
   * Resolves `"gone"` only when the attempt itself saw the resource gone
   * because this run took it (an instance profile whose role's delete
   * deleted it answers DeleteInstanceProfile with NoSuchEntity): the engine
   * reports it deleted without a verify read. Otherwise it resolves nothing
   * and verify confirms the delete.
   */
  delete(ctx: ResourceContext<Static<TObject<O>>>, found: Found): Promise<void | "gone">;

  /** A fresh read after delete: is the resource gone, still deleting, or present? */
  verify(ctx: ResourceContext<Static<TObject<O>>>, found: Found): Promise<VerifyResult>;

  /**
   * `verify` for several resources at once, answered in the order given:
   * for a service whose listing carries each resource's state, one listing
   * instead of a read each. Optional. While deletes of this type are in
   * progress, the engine polls them at the same moments (multiples of
   * `pollIntervalMs` since the run began) and hands every resource due at
   * one moment, of one region and the same options, to one call; a single
   * one still goes to `verify`. Must answer as `verify` would (the contract
   * suite checks it). Read-only. `ctx` is that of one of them: report no
   * progress through it (the engine reports each resource's state).
   */
  verifyAll?(ctx: ResourceContext<Static<TObject<O>>>, found: readonly Found[]): Promise<VerifyResult[]>;

  /**
   * Why this resource must never be deleted whatever the manifest says
   * (AWS-managed roles, managed rules); `undefined` when it may be.
   */
  protectedReason?(found: Found): string | undefined;
}

/** A plugin: the resource types of one service, nothing else. */
export interface Plugin {
  /** The plugin's name, e.g. `eventbridge` (which also holds `scheduler.*` types). */
  readonly name: string;
  /** The plugin-kit major this plugin was written for (set by definePlugin). */
  readonly kitVersion: number;
  /** Its resource types. */
  readonly resources: readonly ResourceType[];
}
