import type { SourcePos } from "./manifest/problems.js";
import type { PlanNotice } from "./plan.js";

/** How one resource ended. */
export type Outcome =
  /** Deleted by this run and verified gone. */
  | "deleted"
  /** Already gone when this run tried (a rerun, or deleted by its owner). */
  | "already-gone"
  /** Never passed to delete: protected, with the reason. */
  | "protected"
  /** The delete failed for good (access denied, a fatal error). */
  | "failed"
  /** Still there (or still deleting) when its deadline passed. */
  | "remaining"
  /** Not attempted: something it depends on did not go. */
  | "blocked"
  /** Not attempted: the run was interrupted first. */
  | "not-started";

/** One resource's line in the report. */
export interface ResourceReport {
  readonly key: string;
  readonly type: string;
  readonly region: string;
  readonly id: string;
  readonly name: string;
  readonly outcome: Outcome;
  /** Why it is protected, failed, remaining or blocked. */
  readonly reason?: string;
  /** For access denied: the IAM action to grant, when AWS named it. */
  readonly deniedAction?: string;
  /** Delete attempts made (retries included). */
  readonly attempts: number;
  /** From the first attempt to the end, ms. */
  readonly durationMs: number;
  readonly source?: SourcePos;
  readonly matrix?: Readonly<Record<string, string>>;
}

/** What `apply` did: `--report report.json` writes this. */
export interface Report {
  readonly version: 1;
  readonly manifest: { readonly file: string; readonly name: string };
  readonly accountId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** True when Ctrl-C stopped the run early. */
  readonly interrupted: boolean;
  readonly resources: ResourceReport[];
  readonly notices: PlanNotice[];
  /** Counts per outcome. */
  readonly totals: Record<Outcome, number>;
  /** Every AWS call made, by service and operation. */
  readonly apiCalls: Record<string, Record<string, number>>;
  readonly apiCallTotal: number;
}

/** Outcomes that mean "the resource is gone". */
export const goneOutcomes: ReadonlySet<Outcome> = new Set(["deleted", "already-gone"]);

/** Counts outcomes. */
export function totals(resources: readonly ResourceReport[]): Record<Outcome, number> {
  const out: Record<Outcome, number> = {
    deleted: 0,
    "already-gone": 0,
    protected: 0,
    failed: 0,
    remaining: 0,
    blocked: 0,
    "not-started": 0,
  };
  for (const r of resources) out[r.outcome]++;
  return out;
}
