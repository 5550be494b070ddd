import { constants, PerformanceObserver } from "node:perf_hooks";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import {
  AwsSession,
  buildPlan,
  executePlan,
  Registry,
  VirtualClock,
  type Plan,
  type ResolvedManifest,
  type ResourceReport,
  type SessionSettings,
} from "@cleanup-runner/core";
import type { Plugin } from "@cleanup-runner/plugin-kit";
import { mockClient } from "aws-sdk-client-mock";
import pino from "pino";

/** One manifest entry of a bench run. */
export interface BenchEntry {
  readonly type: `${string}.${string}`;
  readonly names?: string[];
  readonly prefix?: string;
  readonly options?: Record<string, unknown>;
}

/** A manifest as loadManifest would resolve it. */
export function benchManifest(entries: readonly BenchEntry[]): ResolvedManifest {
  return {
    file: "bench.yaml",
    name: "bench",
    plugins: [],
    vars: {},
    entries: entries.map((e, index) => ({
      index,
      type: e.type,
      ...(e.names ? { names: e.names } : {}),
      ...(e.prefix ? { match: { prefix: e.prefix } } : {}),
      options: e.options ?? {},
    })),
    document: { apiVersion: "cleanup-runner/v1", name: "bench", resources: [] },
  };
}

/** What one run measured. */
export interface Measured {
  /** Simulated time from the first call to the last report, ms. */
  readonly simulatedMs: number;
  /** Real time the simulation took, ms. */
  readonly realMs: number;
  readonly calls: Record<string, Record<string, number>>;
  /** The calls made while planning (the rest were made by apply). */
  readonly planCalls: Record<string, Record<string, number>>;
  readonly totalCalls: number;
  /** Simulated time planning took, ms. */
  readonly planMs: number;
  readonly peakRssMb: number;
  /**
   * The most heap still in use right after a full (mark-compact) GC, V8's own
   * or one forced after planning where gc is exposed: what the run really
   * holds, where the peak RSS also counts garbage V8 had not yet collected.
   * Undefined when no full GC ran.
   */
  readonly liveHeapMb: number | undefined;
  readonly outcomes: Record<string, number>;
  readonly resources: ResourceReport[];
  readonly plan: Plan;
}

/** What a bench run may set beyond the defaults of `runner apply`. */
export interface RunSettings {
  readonly concurrency?: number;
  readonly perService?: number;
  /** How often apply polls what is still being deleted (the types' own intervals when left out), ms. */
  readonly pollIntervalMs?: number;
  /**
   * Session hooks: `beforeCall` (the bench's fixed latency per call) and
   * `faults` (an injector, whose sleeps must be the run's virtual clock).
   */
  readonly session?: Pick<SessionSettings, "beforeCall" | "faults">;
}

/**
 * Plans and applies through the real engine and real plugins, against
 * mocked clients whose every answer takes `latency` on the same virtual
 * clock as the engine's backoffs and rate budgets: the figures are those of
 * a real run at that latency, computed in seconds of real time.
 */
export async function runEngine(
  plugins: readonly Plugin[],
  manifest: ResolvedManifest,
  clock: VirtualClock,
  settings: RunSettings = {},
): Promise<Measured> {
  const sts = mockClient(STSClient);
  sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/bench" });
  const session = new AwsSession({
    region: "us-east-1",
    readOnly: false,
    clientConfig: { credentials: { accessKeyId: "bench", secretAccessKey: "bench" } },
    ...settings.session,
  });
  const registry = new Registry(plugins);
  const logger = pino({ level: "silent" });
  const signal = new AbortController().signal;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  let liveHeap: number | undefined;
  const fullGcs = new PerformanceObserver((list) => {
    const full = list
      .getEntries()
      .some((e) => (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    if (full) liveHeap = Math.max(liveHeap ?? 0, process.memoryUsage().heapUsed);
  });
  fullGcs.observe({ entryTypes: ["gc"] });
  const realStart = performance.now();
  const start = clock.now();
  const { concurrency, perService, pollIntervalMs } = settings;
  let planCalls: Measured["planCalls"] = {};
  let planMs = 0;
  const { plan, resources } = await clock.run(
    (async () => {
      const plan = await buildPlan({ manifest, registry, session, regions: ["us-east-1"], logger, clock, signal });
      planCalls = session.calls.toJSON();
      planMs = clock.elapsedSince(start);
      // Where the process exposes gc (the student-system workers), one full GC here measures what is
      // live with the whole plan held, at every size, not only when V8 happens to collect fully.
      const gc = (globalThis as { gc?: () => void }).gc;
      if (gc) {
        gc();
        liveHeap = Math.max(liveHeap ?? 0, process.memoryUsage().heapUsed);
      }
      const resources = await executePlan({
        plan,
        registry,
        session,
        logger,
        clock,
        signal,
        ...(concurrency ? { concurrency } : {}),
        ...(perService ? { perService } : {}),
        ...(pollIntervalMs ? { pollIntervalMs } : {}),
      });
      return { plan, resources };
    })(),
  );
  const realMs = performance.now() - realStart;
  clearInterval(sampler);
  fullGcs.disconnect();
  sts.restore();
  peak = Math.max(peak, process.memoryUsage().rss);
  const outcomes: Record<string, number> = {};
  for (const r of resources) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  return {
    simulatedMs: clock.elapsedSince(start),
    realMs,
    calls: session.calls.toJSON(),
    planCalls,
    totalCalls: session.calls.total,
    planMs,
    peakRssMb: peak / 2 ** 20,
    liveHeapMb: liveHeap === undefined ? undefined : liveHeap / 2 ** 20,
    outcomes,
    resources,
    plan,
  };
}

/** An AWS-shaped service error for the mocks. */
export function awsError(name: string, status: number, message = name): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
  });
}

/** `+4.2%` */
export const overMinimum = (calls: number, minimum: number) =>
  `${calls} / ${minimum} (+${((calls / minimum - 1) * 100).toFixed(1)}%)`;

/** `12.3 s / 10.0 s (x1.23)` */
export const againstBound = (ms: number, bound: number) =>
  `${(ms / 1000).toFixed(1)} s / ${(bound / 1000).toFixed(1)} s (x${(ms / bound).toFixed(2)})`;

/** Prints one scenario's figures. */
export function printFigures(title: string, rows: [string, string][]): void {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}
