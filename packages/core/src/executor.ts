import { setMaxListeners } from "node:events";
import { classifyAwsError, type ResourceError } from "@cleanup-runner/plugin-kit";
import pLimit, { type LimitFunction } from "p-limit";
import type { Logger } from "pino";
import type { AwsSession } from "./aws/session.js";
import type { Clock } from "./clock.js";
import type { EngineEvents } from "./events.js";
import type { Plan, PlannedResource } from "./plan.js";
import { contextKey, isInterruption, makeContext, typeDependencies } from "./planner.js";
import { RateBudgets } from "./rate-budget.js";
import { VerifyBatches } from "./verify-batches.js";
import { WaitedFor } from "./waited-for.js";
import type { Registry } from "./registry.js";
import { goneOutcomes, type Outcome, type ResourceReport } from "./report.js";
import { deniedActionOf, pendingCheckOf } from "./resource-errors.js";

/** How deletes are run. */
export interface ExecuteSettings {
  readonly plan: Plan;
  readonly registry: Registry;
  readonly session: AwsSession;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Aborted on Ctrl-C: no new delete starts; running ones finish. */
  readonly signal: AbortSignal;
  readonly events?: EngineEvents;
  /** Deletes in flight at once, overall (default 16). */
  readonly concurrency?: number;
  /** Deletes in flight at once per service (default 4). */
  readonly perService?: number;
  /** Overrides every type's deadline, ms. */
  readonly deadlineMs?: number;
  /**
   * Overrides every type's verify polling interval, which also paces the checks of a pending delete,
   * ms (the bench measures the chain's floor with it).
   */
  readonly pollIntervalMs?: number;
  /**
   * First backoff after a throttle, or a pending dependency without a check, ms (default 1000;
   * doubles to `maxBackoffMs`).
   */
  readonly backoffMs?: number;
  /** Longest backoff, ms (default 30 s); a quarter of the time already waited, once that is longer. */
  readonly maxBackoffMs?: number;
  /**
   * Read each resource with verify before its first delete (for a frozen
   * plan, which may be old): one already gone is reported so, not deleted.
   */
  readonly recheck?: boolean;
}

const DEFAULT_DEADLINE_MS = 15 * 60_000;
const DEFAULT_POLL_MS = 2_000;
/**
 * Polls and pending checks come at least this share of the time already waited apart, once that is
 * longer than their interval: a wait of minutes is read a dozen times, and seen over at most that share late.
 */
const SHARE_OF_TIME_WAITED = 0.25;
/**
 * Polls of a resource nothing waits for yet (see WaitedFor) come this share of the time already
 * waited apart: still read now and then, for the progress shown, and at the usual pace once waited for.
 */
const PATIENT_SHARE_OF_TIME_WAITED = 1;

interface Node {
  readonly planned: PlannedResource;
  /** Resource-level dependencies not yet gone. */
  waitingOn: number;
  /** Resources that name this one in their `dependsOn`. */
  readonly dependents: Node[];
  started?: boolean;
  report?: ResourceReport;
}

/**
 * Deletes the plan's resources as a graph: a resource starts once all it
 * depends on is gone; bounded concurrency overall and per service; rate
 * budgets paced before a slot is taken; throttling and pending dependencies
 * retried with exponential backoff up to the type's deadline (a pending one
 * with a check of its own checked at the pace of the type's polls); every delete
 * verified gone with a fresh read, unless the delete itself saw it gone
 * (answered "gone"). One resource failing never stops the
 * others; what depended on it is reported blocked.
 */
export async function executePlan(settings: ExecuteSettings): Promise<ResourceReport[]> {
  const { plan, registry, session, clock, signal, logger } = settings;
  // Every waiting delete listens on the one run signal: thousands of listeners are expected.
  setMaxListeners(0, signal);
  const emit = settings.events ?? (() => undefined);
  const global = pLimit(settings.concurrency ?? 16);
  const perService = new Map<string, LimitFunction>();
  const budgets = new RateBudgets(clock);
  const verifyBatches = new VerifyBatches(clock);
  const runStart = clock.now();
  const identity = { accountId: plan.accountId, partition: plan.partition };

  const nodes = new Map<string, Node>();
  for (const planned of plan.resources) nodes.set(planned.key, { planned, waitingOn: 0, dependents: [] });
  for (const node of nodes.values()) {
    for (const dep of node.planned.dependsOn) {
      const target = nodes.get(dep);
      if (!target || target.planned.action !== "delete") continue;
      node.waitingOn++;
      target.dependents.push(node);
    }
  }

  // Type barriers: a resource of type T starts only once every resource of
  // each type T waits for has finished, and only if all of them went.
  const typeDeps = plan.typeDependencies ?? typeDependencies(plan.resources, registry);
  const unfinished = new Map<string, number>(); // type -> its resources to delete not finished yet
  const waitersOf = new Map<string, string[]>(); // type -> the types waiting for it
  const firstBad = new Map<string, Node>(); // type -> a resource of it that did not go
  const toDeleteByType = new Map<string, Node[]>();
  for (const node of nodes.values()) {
    if (node.planned.action !== "delete") continue;
    const ofType = toDeleteByType.get(node.planned.type);
    if (ofType) ofType.push(node);
    else toDeleteByType.set(node.planned.type, [node]);
    unfinished.set(node.planned.type, (unfinished.get(node.planned.type) ?? 0) + 1);
  }
  for (const [type, deps] of Object.entries(typeDeps)) {
    for (const dep of deps) waitersOf.set(dep, [...(waitersOf.get(dep) ?? []), type]);
  }
  const waitedFor = new WaitedFor({ typeDeps, waitersOf, unfinished }, [...toDeleteByType.values()].flat());
  const barrierOpen = (type: string) => (typeDeps[type] ?? []).every((dep) => !unfinished.get(dep));

  /** Starts a resource whose dependencies are all gone, or blocks it when one of them did not go. */
  const consider = (node: Node) => {
    if (node.report || node.started || node.waitingOn > 0 || !barrierOpen(node.planned.type)) return;
    const bad = (typeDeps[node.planned.type] ?? []).map((dep) => firstBad.get(dep)).find(Boolean);
    if (!bad) return start(node);
    blockBehind(
      node,
      bad,
      `every ${bad.planned.type}`,
      `waits for every ${bad.planned.type}, and ${bad.planned.found.name} is ${bad.report!.outcome}`,
    );
  };

  const base = (planned: PlannedResource) => ({
    key: planned.key,
    type: planned.type,
    region: planned.region,
    id: planned.found.id,
    name: planned.found.name,
    ...(planned.source ? { source: planned.source } : {}),
    ...(planned.matrix ? { matrix: planned.matrix } : {}),
  });
  /** The report of a resource whose delete was never attempted. */
  const unattempted = (planned: PlannedResource, outcome: Outcome, reason: string): ResourceReport => ({
    ...base(planned),
    outcome,
    reason,
    attempts: 0,
    durationMs: 0,
  });

  let settle: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (settle = resolve));
  let open = 0;

  const finish = (node: Node, report: ResourceReport) => {
    node.report = report;
    emit({
      kind: "done",
      key: node.planned.key,
      outcome: report.outcome,
      ...(report.reason ? { message: report.reason } : {}),
    });
    const type = node.planned.type;
    if (node.planned.action === "delete") {
      if (!goneOutcomes.has(report.outcome) && !firstBad.has(type)) firstBad.set(type, node);
      unfinished.set(type, unfinished.get(type)! - 1);
    }
    for (const dependent of node.dependents) {
      if (dependent.report) continue;
      if (goneOutcomes.has(report.outcome)) {
        dependent.waitingOn--;
        consider(dependent);
      } else {
        const what = `${node.planned.type} ${node.planned.found.name}`;
        blockBehind(dependent, node, what, `waits for ${what}, which is ${report.outcome}`);
      }
    }
    if (node.planned.action === "delete" && unfinished.get(type) === 0) {
      for (const waiter of waitersOf.get(type) ?? []) for (const w of toDeleteByType.get(waiter) ?? []) consider(w);
    }
    waitedFor.finished(node);
    if (--open === 0) settle();
  };

  const block = (node: Node, reason: string, outcome: "blocked" | "not-started" = "blocked") => {
    if (node.report) return;
    open++;
    if (node.planned.action === "delete") waitedFor.leftUnstarted(node);
    finish(node, unattempted(node.planned, outcome, reason));
  };

  /**
   * Reports `node` not attempted because `cause` (`what`, for the reason) did not go: blocked
   * with `failedReason`, or not started when the interrupt stopped `cause` rather than a failure.
   */
  const blockBehind = (node: Node, cause: Node, what: string, failedReason: string) => {
    const outcome = cause.report!.outcome;
    if (signal.aborted && (outcome === "not-started" || outcome === "remaining")) {
      block(node, `the run was interrupted before ${what} went`, "not-started");
    } else {
      block(node, failedReason);
    }
  };

  const start = (node: Node) => {
    node.started = true;
    waitedFor.leftUnstarted(node);
    open++;
    run(node).then(
      (report) => finish(node, report),
      (error: unknown) => finish(node, unattempted(node.planned, "failed", `internal error: ${String(error)}`)),
    );
  };

  const run = async (node: Node): Promise<ResourceReport> => {
    const { planned } = node;
    const resource = registry.get(planned.type);
    if (!resource) return unattempted(planned, "failed", `no loaded plugin has ${planned.type}`);
    const region = planned.region === "global" ? session.region : planned.region;
    const log = logger.child({ resource: planned.key });
    const ctx = makeContext(session, resource, region, planned.options, identity, {
      logger: log,
      signal,
      clock,
      progress: (message) => emit({ kind: "progress", key: planned.key, message }),
    });
    // The deadline and the duration run from the first attempt: time spent waiting for a
    // rate budget or a concurrency slot (minutes, for a long DeleteRestApi queue) is not the resource's.
    let started: number | undefined;
    const waitedSoFar = () => clock.now() - (started ?? clock.now());
    let deadline = Infinity;
    const service = planned.type.split(".")[0]!;
    let limit = perService.get(service);
    if (!limit) perService.set(service, (limit = pLimit(settings.perService ?? 4)));
    const done = (outcome: Outcome, attempts: number, error?: ResourceError): ResourceReport => {
      const deniedAction = error && deniedActionOf(error);
      return {
        ...base(planned),
        outcome,
        ...(error ? { reason: error.message } : {}),
        ...(deniedAction ? { deniedAction } : {}),
        attempts,
        durationMs: started === undefined ? 0 : clock.now() - started,
      };
    };
    const stopped = (attempts: number, lastError: ResourceError | undefined): ResourceReport =>
      attempts === 0
        ? done("not-started", 0)
        : { ...done("remaining", attempts, lastError), ...(lastError ? {} : { reason: "interrupted" }) };

    if (settings.recheck && !signal.aborted) {
      try {
        if ((await resource.verify(ctx, planned.found)) === "gone") return done("already-gone", 0);
      } catch (caught) {
        if (classifyAwsError(caught).kind === "not-found") return done("already-gone", 0);
        log.warn({ err: caught }, "re-check before delete failed; deleting anyway");
      }
    }
    const poll = settings.pollIntervalMs ?? resource.pollIntervalMs ?? DEFAULT_POLL_MS;
    let attempts = 0;
    let backoff = settings.backoffMs ?? 1_000;
    let lastError: ResourceError | undefined;
    for (;;) {
      if (signal.aborted) return stopped(attempts, lastError);
      emit({ kind: "state", key: planned.key, state: attempts === 0 ? "waiting" : "retrying" });
      await budgets.acquire(resource.rateBudgets ?? [], region, signal);
      if (signal.aborted) return stopped(attempts, lastError);
      let error: ResourceError | undefined;
      let interrupted = false;
      let seenGone = false;
      await limit(() =>
        global(async () => {
          // Interrupted while queued for a slot: this delete has not started, so it never will.
          if (signal.aborted) {
            interrupted = true;
            return;
          }
          attempts++;
          if (started === undefined) {
            started = clock.now();
            deadline = started + (settings.deadlineMs ?? resource.deadlineMs ?? DEFAULT_DEADLINE_MS);
          }
          emit({ kind: "state", key: planned.key, state: "deleting" });
          try {
            seenGone = (await resource.delete(ctx, planned.found)) === "gone";
          } catch (caught) {
            // A delete cut short by the interrupt (its ctx.sleep rejected) did not fail: it is left for a rerun.
            if (signal.aborted && isInterruption(caught)) interrupted = true;
            else error = classifyAwsError(caught, `${planned.type} ${planned.found.name}`);
          }
        }),
      );
      if (interrupted) return stopped(attempts, lastError);
      // The delete saw it gone, taken by this run: nothing left to verify.
      if (!error && seenGone) return done("deleted", attempts);
      if (!error) break;
      if (error.kind === "not-found") return done(attempts === 1 ? "already-gone" : "deleted", attempts);
      // Retries are expected (throttling, eventual consistency): logged for debugging, shown as progress.
      log[error.retryable ? "debug" : "warn"]({ kind: error.kind, attempt: attempts }, error.message);
      if (!error.retryable) return done("failed", attempts, error);
      lastError = error;
      emit({ kind: "state", key: planned.key, state: "retrying", message: error.message });
      // Wait with backoff; where the error gives a cheaper read of what blocks the delete, poll that
      // instead of attempting the delete again (a refusal can cost several reads naming its cause).
      const stillPending = pendingCheckOf(error);
      if (stillPending) {
        // A check reads how an asynchronous process (a training, a job) goes: at the pace of the type's
        // polls, the last wait cut to the deadline so that the check is made once more before giving up.
        // The backoff is left as it was: the attempt that follows is no retry of a throttled one.
        for (;;) {
          if (clock.now() >= deadline) return done("remaining", attempts, error);
          const nextCheck = Math.max(poll, waitedSoFar() * SHARE_OF_TIME_WAITED);
          await clock.sleep(Math.min(nextCheck, deadline - clock.now()), signal);
          if (signal.aborted || !(await stillPendingOrUnknown(stillPending, log))) break;
        }
      } else {
        const jittered = backoff * (0.5 + Math.random() / 2);
        if (clock.now() + jittered > deadline) return done("remaining", attempts, error);
        await clock.sleep(jittered, signal);
        // Doubling up to the longest backoff, or a share of the time waited so far if that is longer.
        const longest = Math.max(settings.maxBackoffMs ?? 30_000, waitedSoFar() * SHARE_OF_TIME_WAITED);
        backoff = Math.min(backoff * 2, longest);
      }
    }

    // Deleted: confirm with fresh reads until gone, or the deadline.
    const batchKey = contextKey(planned.type, region, planned.options);
    // Polls come every `poll`, or a share of the time already waited if that is longer.
    // A type that answers polls together polls on the run's grid, so that its resources' polls meet.
    const verifyingSince = clock.now();
    waitedFor.verifying(node);
    const nextPoll = () => {
      const later = Math.max(0, (clock.now() - verifyingSince) * SHARE_OF_TIME_WAITED - poll);
      if (!resource.verifyAll) return poll + later;
      return later + poll - ((clock.now() + later - runStart) % poll);
    };
    /** `ms` from now, or a little later: on the run's grid when the type answers polls together. */
    const onGrid = (ms: number) =>
      resource.verifyAll ? ms + ((poll - ((clock.now() + ms - runStart) % poll)) % poll) : ms;
    // A delete that returns before the resource is gone would only hear "deleting" from a read made
    // at once: its first read waits a poll (unless that would pass the deadline, or the run stops).
    let readNow = !resource.deletesAsynchronously;
    for (;;) {
      let state: string;
      if (!readNow && !signal.aborted && clock.now() + nextPoll() <= deadline) {
        state = "deleting";
      } else {
        emit({ kind: "state", key: planned.key, state: "verifying" });
        try {
          state = await verifyBatches.verify(resource, ctx, planned.found, batchKey);
        } catch (caught) {
          const error = classifyAwsError(caught, `verify ${planned.type} ${planned.found.name}`);
          if (error.kind === "not-found") return done("deleted", attempts);
          if (!error.retryable) return done("failed", attempts, error);
          state = "deleting";
        }
      }
      readNow = true;
      if (state === "gone") return done("deleted", attempts);
      const wait = nextPoll();
      if (signal.aborted || clock.now() + wait > deadline) {
        const still = state === "deleting" ? "still deleting" : "still present after delete";
        return {
          ...done("remaining", attempts),
          reason: signal.aborted
            ? `interrupted while ${still}`
            : state === "deleting"
              ? `${still} at the deadline`
              : still,
        };
      }
      if (state === "deleting") ctx.progress("deleting");
      const due = clock.now() + wait;
      if (!waitedFor.isWaitedFor(node)) {
        // Nothing waits for it yet: read it later, or at its usual poll (at once if that is past) as soon
        // as something does; never past the deadline.
        const later = onGrid(Math.max(wait, (clock.now() - verifyingSince) * PATIENT_SHARE_OF_TIME_WAITED));
        const woken = waitedFor.wakeWhenWaitedFor(node);
        await clock.sleep(Math.min(later, deadline - clock.now()), AbortSignal.any([signal, woken]));
        waitedFor.awake(node);
        if (!woken.aborted || clock.now() >= due) continue;
      }
      await clock.sleep(due - clock.now(), signal);
    }
  };

  for (const node of nodes.values()) {
    if (node.planned.action === "protected") {
      node.report = unattempted(node.planned, "protected", node.planned.reason ?? "protected");
    }
  }
  const runnable = [...nodes.values()].filter((n) => !n.report);
  open = 1; // held until every ready node has started, so an early finish cannot settle
  for (const node of runnable) consider(node);
  if (--open === 0) settle();
  await allDone;
  // Anything left never became ready: a cycle, or the run was cut short.
  for (const node of runnable) node.report ??= unattempted(node.planned, "blocked", "part of a dependency cycle");
  return plan.resources.map((r) => nodes.get(r.key)!.report!);
}

/** Whether the delete still waits; a check that fails answers no, so the delete itself is attempted and speaks. */
async function stillPendingOrUnknown(check: () => Promise<boolean>, log: Logger): Promise<boolean> {
  try {
    return await check();
  } catch (error) {
    log.debug({ err: error }, "checking what the delete waits for failed; attempting the delete");
    return false;
  }
}
