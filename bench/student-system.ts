import { fork } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { builtinPlugins } from "@cleanup-runner/cli";
import {
  FaultInjector,
  loadManifest,
  parseFaultRates,
  Registry,
  VirtualClock,
  type FaultCounts,
} from "@cleanup-runner/core";
import { runEngine } from "./harness.js";
import { variedDurations, workshopDurations } from "./personalize-durations.js";
import { buildStudentAccount } from "./student-account.js";
import { boundOf, flatCalls, groupReads, minimumCalls, totalCalls, type CallCounts } from "./student-floor.js";

const manifestFile = fileURLToPath(new URL("../manifests/student-system.yaml", import.meta.url));
const workerFile = fileURLToPath(new URL("./student-system-worker.ts", import.meta.url));

/** S3 entries (object versions and delete markers) of one copy: 100 copies hold 1,000,000. */
export const OBJECTS_PER_COPY = 10_000;

/** What one size of the student-system scenario measured. */
export interface StudentSystemRow {
  readonly copies: number;
  /** Resources in the plan, and of them those it deletes. */
  readonly planned: number;
  readonly toDelete: number;
  readonly objects: number;
  /** Simulated wall time, plan and apply, ms. */
  readonly wallMs: number;
  readonly planMs: number;
  readonly boundMs: number;
  readonly boundPlanMs: number;
  /** The chain of types that sets the bound. */
  readonly boundChain: string;
  readonly calls: number;
  readonly minimum: number;
  /** Of the minimum, what listing, deleting and verifying take without reading what the plan shows. */
  readonly floorWithoutReads: number;
  /** Operations with the most calls beyond the minimum: [`Service Operation`, beyond, of them while planning]. */
  readonly beyond: [string, number, number][];
  /** Operations called fewer times than the minimum counts (a wrong minimum: must be none). */
  readonly belowMinimum: string[];
  readonly peakRssMb: number;
  /** Heap in use right after a full GC, at most (what the run holds, garbage aside). */
  readonly liveHeapMb: number | undefined;
  readonly realMs: number;
  readonly outcomes: Record<string, number>;
  readonly decoysLost: string[];
  readonly planErrors: string[];
  readonly faults?: FaultCounts;
}

/** `c000`, `c001`, ...: the prefixes of `copies` students. */
const prefixesFor = (copies: number) => Array.from({ length: copies }, (_, i) => `c${String(i).padStart(3, "0")}`);

/**
 * One size, in this process: seeds the simulated account with `copies`
 * copies, loads the student-system manifest through a cohort manifest that
 * extends it with a matrix of the prefixes, plans and applies it through the
 * real engine and every built-in plugin, every call paying `latencyMs` on
 * the virtual clock (and faults, when given), and measures it against the
 * bound and the minimum.
 */
export async function measureStudentSystem(
  copies: number,
  latencyMs: number,
  faults: string | undefined,
  durationsSeed?: number,
): Promise<StudentSystemRow> {
  const prefixes = prefixesFor(copies);
  const clock = new VirtualClock();
  const registry = new Registry(builtinPlugins);
  const dir = await mkdtemp(join(tmpdir(), "bench-cohort-"));
  const cohort = join(dir, "cohort.yaml");
  await writeFile(
    cohort,
    [
      "apiVersion: cleanup-runner/v1",
      `name: student-system-bench-${copies}`,
      `extends: ${JSON.stringify(manifestFile)}`,
      "matrix:",
      `  prefix: [${prefixes.join(", ")}]`,
      "",
    ].join("\n"),
  );
  const loaded = await loadManifest(cohort, { registryFor: async () => ({ registry }) });
  await rm(dir, { recursive: true, force: true });
  if (!loaded.ok) throw new Error(`the cohort manifest does not load: ${JSON.stringify(loaded.problems)}`);
  const manifest = loaded.manifest;

  const durations = durationsSeed === undefined ? workshopDurations : variedDurations(durationsSeed);
  const account = await buildStudentAccount(prefixes, clock, OBJECTS_PER_COPY, durations);
  const injector = faults ? new FaultInjector(parseFaultRates(faults), 1, (ms) => clock.sleep(ms)) : undefined;
  const startedAt = clock.now();
  try {
    const measured = await runEngine(builtinPlugins, manifest, clock, {
      session: {
        beforeCall: () => clock.sleep(latencyMs),
        ...(injector ? { faults: injector } : {}),
      },
    });
    const { plan } = measured;
    const bound = boundOf(plan, registry, account, latencyMs, startedAt);
    const entryTypes = [...new Set(manifest.entries.map((e) => e.type))];
    const minimum = minimumCalls(plan, entryTypes, account);
    const calls = groupReads(flatCalls(measured.calls));
    const planCalls = groupReads(flatCalls(measured.planCalls));
    return {
      copies,
      planned: plan.resources.length,
      toDelete: plan.resources.filter((r) => r.action === "delete").length,
      objects: account.objects,
      wallMs: measured.simulatedMs,
      planMs: measured.planMs,
      boundMs: bound.ms,
      boundPlanMs: bound.planMs,
      boundChain: bound.chain,
      calls: measured.totalCalls,
      minimum: totalCalls(minimum),
      floorWithoutReads: totalCalls(minimumCalls(plan, entryTypes, account, { withReads: false })),
      beyond: beyondMinimum(calls, planCalls, groupReads(minimum)),
      belowMinimum: Object.entries(groupReads(minimum))
        .filter(([op, n]) => (calls[op] ?? 0) < n)
        .map(([op, n]) => `${op} ${calls[op] ?? 0} < ${n}`),
      peakRssMb: measured.peakRssMb,
      liveHeapMb: measured.liveHeapMb,
      realMs: measured.realMs,
      outcomes: measured.outcomes,
      decoysLost: await account.decoysLost(),
      planErrors: plan.notices.filter((n) => n.level === "error").map((n) => n.message),
      ...(injector ? { faults: { ...injector.counts } } : {}),
    };
  } finally {
    account.restore();
  }
}

/**
 * The operations with the most calls beyond their minimum, with how many of those were made while
 * planning: planning's calls of an operation count as its extra ones first.
 */
function beyondMinimum(calls: CallCounts, planCalls: CallCounts, minimum: CallCounts): [string, number, number][] {
  return Object.entries(calls)
    .map(([op, n]): [string, number, number] => {
      const extra = n - (minimum[op] ?? 0);
      return [op, extra, Math.min(extra, planCalls[op] ?? 0)];
    })
    .filter(([, extra]) => extra > 0)
    .sort((a, b) => b[1] - a[1]);
}

/** Least-squares slope of log(y) on log(x): how the cost grows with the size. */
function fittedExponent(points: readonly (readonly [x: number, y: number])[]): number {
  const xs = points.map(([x]) => Math.log(x));
  const ys = points.map(([, y]) => Math.log(y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}

/** Runs one size in a fresh process, so its peak RSS is its own (the table's code and earlier sizes aside). */
function measureInChild(
  copies: number,
  latencyMs: number,
  faults: string | undefined,
  durationsSeed: number | undefined,
): Promise<StudentSystemRow> {
  return new Promise((resolve, reject) => {
    const args = [String(copies), String(latencyMs), faults ?? "", durationsSeed?.toString() ?? ""];
    // --expose-gc: the harness measures the live heap with one full GC after planning.
    const child = fork(workerFile, args, {
      stdio: ["ignore", "inherit", "pipe", "ipc"],
      execArgv: [...process.execArgv, "--expose-gc"],
    });
    let row: StudentSystemRow | undefined;
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("message", (message: { row?: StudentSystemRow; error?: string }) => {
      if (message.row) row = message.row;
      if (message.error) stderr += message.error;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (row && code === 0) resolve(row);
      else reject(new Error(`the ${copies}-copy run failed (exit ${code}):\n${stderr.slice(-4000)}`));
    });
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const thousands = (n: number) => n.toLocaleString("en-US");

/**
 * `pnpm bench --only student-system [--copies 1,10,100] [--latency MS] [--faults throttle=0.2,...]
 * [--vary-durations SEED]`: the table of the student-system footprint at each size, and the growth
 * exponents fitted from it.
 */
export async function benchStudentSystem(
  copies: readonly number[],
  latencyMs: number,
  faults?: string,
  durationsSeed?: number,
): Promise<void> {
  const started = performance.now();
  const rows: StudentSystemRow[] = [];
  for (const n of copies) rows.push(await measureInChild(n, latencyMs, faults, durationsSeed));
  console.log(
    `\nstudent-system: N copies of the workshop footprint, ${latencyMs} ms per call` +
      (faults ? `, faults ${faults}` : "") +
      (durationsSeed === undefined ? "" : `, Personalize's waits varied from seed ${durationsSeed}`) +
      ", simulated time",
  );
  const header = [
    "copies",
    "resources",
    "S3 objects",
    "wall",
    "bound",
    "wall/bound",
    "API calls",
    "minimum",
    "calls/min",
    "peak RSS",
    "live heap",
  ];
  const table = rows.map((r) => [
    String(r.copies),
    thousands(r.planned),
    thousands(r.objects),
    seconds(r.wallMs),
    seconds(r.boundMs),
    `x${(r.wallMs / r.boundMs).toFixed(2)}`,
    thousands(r.calls),
    thousands(r.minimum),
    `x${(r.calls / r.minimum).toFixed(2)}`,
    `${r.peakRssMb.toFixed(0)} MB`,
    r.liveHeapMb === undefined ? "-" : `${r.liveHeapMb.toFixed(0)} MB`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    "  " + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  for (const row of table) console.log(line(row));

  if (rows.length >= 2) {
    const fit = (pick: (r: StudentSystemRow) => number) =>
      fittedExponent(rows.map((r) => [r.copies, pick(r)])).toFixed(2);
    console.log("\n  growth exponent (least squares of log(cost) on log(copies)):");
    console.log(`    wall time ${fit((r) => r.wallMs)}   (its bound: ${fit((r) => r.boundMs)})`);
    console.log(`    API calls ${fit((r) => r.calls)}   (their minimum: ${fit((r) => r.minimum)})`);
    console.log(`    peak RSS  ${fit((r) => r.peakRssMb)}`);
    if (rows.every((r) => r.liveHeapMb !== undefined)) console.log(`    live heap ${fit((r) => r.liveHeapMb!)}`);
  }

  for (const r of rows) {
    console.log(`\n  ${r.copies} cop${r.copies === 1 ? "y" : "ies"}:`);
    const beyondAtPlan = r.beyond.reduce((n, [, , atPlan]) => n + atPlan, 0);
    const beyondAll = r.beyond.reduce((n, [, extra]) => n + extra, 0);
    console.log(
      `    plan                ${thousands(r.planned)} resources, ${thousands(r.toDelete)} to delete, ` +
        `in ${seconds(r.planMs)} (its bound ${seconds(r.boundPlanMs)})`,
    );
    console.log(`    bound set by        ${r.boundChain}`);
    console.log(
      `    minimum             ${thousands(r.minimum)} calls: ${thousands(r.floorWithoutReads)} to list, delete and ` +
        `verify, ${thousands(r.minimum - r.floorWithoutReads)} to read what the plan shows`,
    );
    console.log(
      `    beyond the minimum  ${thousands(beyondAll)} calls (${thousands(beyondAtPlan)} while planning), most:`,
    );
    console.log(
      `      ${r.beyond
        .slice(0, 6)
        .map(
          ([op, extra, atPlan]) =>
            `${op} +${thousands(extra)}${atPlan === extra ? " (plan)" : atPlan > 0 ? ` (${thousands(atPlan)} at plan)` : ""}`,
        )
        .join(", ")}`,
    );
    if (r.belowMinimum.length > 0) console.log(`    BELOW THE MINIMUM   ${r.belowMinimum.join(", ")}`);
    console.log(`    outcomes            ${JSON.stringify(r.outcomes)}`);
    console.log(`    decoys lost         ${r.decoysLost.length === 0 ? "none" : r.decoysLost.join(", ")}`);
    if (r.planErrors.length > 0) {
      const types = [...new Set(r.planErrors.map((e) => /could not discover (\S+)/.exec(e)?.[1] ?? e))];
      console.log(`    plan errors         ${r.planErrors.length} (${types.join(", ")}): those resources stay`);
    }
    if (r.faults) console.log(`    faults injected     ${JSON.stringify(r.faults)}`);
    console.log(`    real time           ${seconds(r.realMs)}`);
  }
  console.log(`\n  real time of the scenario: ${seconds(performance.now() - started)}`);
  const wrong = rows.flatMap((r) =>
    whatWentWrong(r, faults).map((what) => `${r.copies} cop${r.copies === 1 ? "y" : "ies"}: ${what}`),
  );
  if (wrong.length > 0) {
    console.error(`\npnpm bench: the runs did not do the work they measure, so their figures mean nothing:`);
    for (const what of wrong) console.error(`  ${what}`);
    process.exitCode = 1;
  }
}

/**
 * Why a run's figures do not measure the runner: it lost a decoy, or (unless
 * the faults deny some calls, which must fail) it left a resource or could
 * not plan one, e.g. because a plugin now calls an operation no fake answers.
 */
function whatWentWrong(row: StudentSystemRow, faults: string | undefined): string[] {
  const wrong = row.decoysLost.map((decoy) => `decoy lost: ${decoy}`);
  if (faults?.includes("denied=")) return wrong;
  wrong.push(...row.planErrors.map((error) => `plan error: ${error}`));
  const notGone = Object.entries(row.outcomes).filter(
    ([outcome]) => outcome !== "deleted" && outcome !== "already-gone",
  );
  wrong.push(...notGone.map(([outcome, n]) => `${n} resource(s) ${outcome}`));
  return wrong;
}
