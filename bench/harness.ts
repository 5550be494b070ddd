import {
  AwsSession,
  buildPlan,
  executePlan,
  Registry,
  type ResolvedManifest,
  type ResourceReport,
} from "@cleanup-runner/core";
import type { Plugin } from "@cleanup-runner/plugin-kit";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import pino from "pino";

/** Sleeps `ms` of real time: the fixed latency every mocked call pays. */
export const latency = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A one-entry-per-type manifest, as loadManifest would resolve it. */
export function benchManifest(
  entries: { type: `${string}.${string}`; names?: string[]; prefix?: string; options?: Record<string, unknown> }[],
): ResolvedManifest {
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

/** What one scenario measured. */
export interface Measured {
  readonly wallMs: number;
  readonly calls: Record<string, Record<string, number>>;
  readonly totalCalls: number;
  readonly peakRssMb: number;
  readonly outcomes: Record<string, number>;
  readonly resources: ResourceReport[];
}

/** Plans and applies through the real engine, against whatever clients the scenario mocked. */
export async function runEngine(
  plugins: Plugin[],
  manifest: ResolvedManifest,
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
  const { systemClock } = await import("@cleanup-runner/core");
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const plan = await buildPlan({
    manifest,
    registry,
    session,
    regions: ["us-east-1"],
    logger,
    clock: systemClock,
    signal,
  });
  const resources = await executePlan({ plan, registry, session, logger, clock: systemClock, signal, ...settings });
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  sts.restore();
  peak = Math.max(peak, process.memoryUsage().rss);
  const outcomes: Record<string, number> = {};
  for (const r of resources) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  return {
    wallMs,
    calls: session.calls.toJSON(),
    totalCalls: session.calls.total,
    peakRssMb: peak / 2 ** 20,
    outcomes,
    resources,
  };
}

/** Prints one result line per figure. */
export function printFigures(title: string, rows: [string, string][]): void {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}
