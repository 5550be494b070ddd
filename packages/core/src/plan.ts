import type { Found, ResourceTypeName } from "@cleanup-runner/plugin-kit";
import type { SourcePos } from "./manifest/problems.js";

/** One resource of a plan. */
export interface PlannedResource {
  /** `type|region|id`: unique in the plan. */
  readonly key: string;
  readonly type: ResourceTypeName;
  /** Where it lives (`global` for account-wide types). */
  readonly region: string;
  /** What discover and describe said of it. */
  readonly found: Found;
  /** `delete`, or `protected` (never passed to delete) with `reason`. */
  readonly action: "delete" | "protected";
  /** Why it is protected. */
  readonly reason?: string;
  /** The options of the entry (or the type's defaults, for a companion). */
  readonly options: Record<string, unknown>;
  /** Keys of the resources that must be gone before this one is deleted (besides its type's barriers). */
  readonly dependsOn: string[];
  /** The manifest entry that selected it, when an entry did. */
  readonly entry?: number;
  /** Where that entry is written (for a companion: its owner's entry). */
  readonly source?: SourcePos;
  /** The matrix values of the entry copy that selected it. */
  readonly matrix?: Readonly<Record<string, string>>;
  /** The key of the resource that brought it in as a companion, and why. */
  readonly companionOf?: { readonly key: string; readonly reason: string };
}

/** Something the plan must tell a person that is not a resource. */
export interface PlanNotice {
  readonly level: "warning" | "error";
  readonly message: string;
  readonly type?: string;
  readonly region?: string;
}

/** Everything `apply` will do, frozen: `plan --out plan.json` writes this. */
export interface Plan {
  readonly version: 1;
  readonly createdAt: string;
  readonly manifest: { readonly file: string; readonly name: string };
  /** The manifest's own plugins (absolute paths or package names), so `apply --plan` can load them. */
  readonly plugins?: readonly string[];
  readonly accountId: string;
  readonly partition: string;
  readonly regions: readonly string[];
  readonly resources: PlannedResource[];
  /**
   * For each type, the types whose planned resources must all be gone before
   * any of its resources is deleted (type-level `dependsOn`, `*` resolved).
   * Resource-level edges are in each resource's `dependsOn`.
   */
  readonly typeDependencies?: Readonly<Record<string, readonly string[]>>;
  readonly notices: PlanNotice[];
  /** Lower bounds on run time set by rate budgets, per budget key. */
  readonly paces: { readonly budget: string; readonly resources: number; readonly minimumMs: number }[];
}

/** The key of a resource in a plan. */
export function resourceKey(type: string, region: string, id: string): string {
  return `${type}|${region}|${id}`;
}
