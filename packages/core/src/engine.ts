import type { Logger } from "pino";
import type { AwsSession, Identity } from "./aws/session.js";
import { systemClock, type Clock } from "./clock.js";
import type { EngineEvents } from "./events.js";
import { executePlan, type ExecuteSettings } from "./executor.js";
import type { ResolvedManifest } from "./manifest/load.js";
import type { Plan } from "./plan.js";
import { buildPlan } from "./planner.js";
import type { Registry } from "./registry.js";
import { totals, type Report } from "./report.js";

/** A run refused by a safety guard (exit code 3). */
export class SafetyRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SafetyRefusal";
  }
}

/** Refuses an account the manifest does not allow. */
export function checkAccount(allowed: readonly string[] | undefined, identity: Identity): void {
  if (allowed && !allowed.includes(identity.accountId)) {
    throw new SafetyRefusal(
      `these credentials are for account ${identity.accountId} (${identity.arn}), but the manifest allows only ` +
        `${allowed.join(", ")} (target.accounts). Use credentials for an allowed account, or fix the manifest.`,
    );
  }
}

/** What every run needs. */
export interface RunSettings {
  readonly registry: Registry;
  readonly session: AwsSession;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
  readonly events?: EngineEvents;
}

/**
 * Plans a manifest: reads the account, enforces the allow-list, discovers
 * (read-only) and returns the plan. Nothing is changed: the session must be
 * read-only for a plan of its own, and is checked to be.
 */
export async function planManifest(
  manifest: ResolvedManifest,
  regions: readonly string[],
  settings: RunSettings,
): Promise<Plan> {
  if (!settings.session.settings.readOnly) {
    throw new SafetyRefusal("a plan is made with a read-only session: this one may change things");
  }
  checkAccount(manifest.accounts, await settings.session.identity());
  return buildPlan({
    manifest,
    registry: settings.registry,
    session: settings.session,
    regions,
    logger: settings.logger,
    clock: settings.clock ?? systemClock,
    signal: settings.signal ?? new AbortController().signal,
    ...(settings.events ? { events: settings.events } : {}),
  });
}

/** Options of `apply` beyond the plan. */
export type ApplyOptions = Pick<
  ExecuteSettings,
  "concurrency" | "perService" | "deadlineMs" | "pollIntervalMs" | "backoffMs" | "maxBackoffMs" | "recheck"
>;

/**
 * Deletes a plan's resources and reports. Refuses (SafetyRefusal) a plan made
 * for another account than the credentials', or one whose manifest allow-list
 * excludes it.
 */
export async function applyPlan(
  plan: Plan,
  settings: RunSettings & { accounts?: readonly string[] | undefined },
  options: ApplyOptions = {},
): Promise<Report> {
  const identity = await settings.session.identity();
  checkAccount(settings.accounts, identity);
  if (plan.accountId !== identity.accountId) {
    throw new SafetyRefusal(
      `the plan was made for account ${plan.accountId}, but these credentials are for ${identity.accountId}`,
    );
  }
  const clock = settings.clock ?? systemClock;
  const signal = settings.signal ?? new AbortController().signal;
  const startedAt = new Date(clock.now()).toISOString();
  const resources = await executePlan({
    plan,
    registry: settings.registry,
    session: settings.session,
    logger: settings.logger,
    clock,
    signal,
    ...(settings.events ? { events: settings.events } : {}),
    ...options,
  });
  return {
    version: 1,
    manifest: plan.manifest,
    accountId: plan.accountId,
    startedAt,
    finishedAt: new Date(clock.now()).toISOString(),
    interrupted: signal.aborted,
    resources,
    notices: plan.notices,
    totals: totals(resources),
    apiCalls: settings.session.calls.toJSON(),
    apiCallTotal: settings.session.calls.total,
  };
}

/** Exit code of an apply: 0 when every selected resource is gone, 1 otherwise. */
export function exitCodeOf(report: Report): 0 | 1 {
  const t = report.totals;
  const bad = t.failed + t.remaining + t.blocked + t["not-started"];
  return bad === 0 && !report.interrupted && !report.notices.some((n) => n.level === "error") ? 0 : 1;
}
