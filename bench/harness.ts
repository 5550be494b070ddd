import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import {
  AwsSession,
  buildPlan,
  executePlan,
  Registry,
  VirtualClock,
  type ResolvedManifest,
  type ResourceReport,
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
  readonly totalCalls: number;
  readonly peakRssMb: number;
  readonly outcomes: Record<string, number>;
  readonly resources: ResourceReport[];
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
  settings: { concurrency?: number; perService?: number } = {},
): Promise<Measured> {
  const sts = mockClient(STSClient);
  sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/bench" });
  const session = new AwsSession({
    region: "us-east-1",
    readOnly: false,
    clientConfig: { credentials: { accessKeyId: "bench", secretAccessKey: "bench" } },
  });
  const registry = new Registry(plugins);
  const logger = pino({ level: "silent" });
  const signal = new AbortController().signal;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const realStart = performance.now();
  const start = clock.now();
  const resources = await clock.run(
    (async () => {
      const plan = await buildPlan({ manifest, registry, session, regions: ["us-east-1"], logger, clock, signal });
      return executePlan({ plan, registry, session, logger, clock, signal, ...settings });
    })(),
  );
  const realMs = performance.now() - realStart;
  clearInterval(sampler);
  sts.restore();
  peak = Math.max(peak, process.memoryUsage().rss);
  const outcomes: Record<string, number> = {};
  for (const r of resources) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  return {
    simulatedMs: clock.elapsedSince(start),
    realMs,
    calls: session.calls.toJSON(),
    totalCalls: session.calls.total,
    peakRssMb: peak / 2 ** 20,
    outcomes,
    resources,
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
