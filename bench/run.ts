/**
 * `pnpm bench [--only NAME] [--latency MS] [--objects N] [--functions N] [--groups N]
 * [--copies 1,10,100] [--faults throttle=0.2,serverError=0.05,...] [--vary-durations SEED]`
 * runs each scenario through the real engine and plugins against mocked
 * clients with a fixed latency per call, on simulated time, and prints API
 * calls against the minimum, wall time against what latency and the APIs'
 * quotas allow at best, and peak RSS. Each scenario's modules are loaded
 * when it runs, so one scenario's peak RSS does not count another's code.
 */
import { fork } from "node:child_process";
import { runnerNodeFlags } from "./runner-flags.js";

const usage = `pnpm bench [options]: the engine and every plugin against mocked clients, on simulated time

  --only NAME        one scenario: s3, lambda-logs, personalize, student-system (default: all)
  --latency MS       simulated time every call takes (default 20)
  --copies 1,10,100  student-system: sizes, in copies of the workshop footprint
  --faults RATES     student-system: e.g. throttle=0.2,serverError=0.05,reset=0.02
                     (also conflict, slow, slowMs, denied=S3+IAM)
  --vary-durations SEED
                     student-system: scale each of Personalize's waits (a kind's
                     delete, the import, the batch job, the training's stop) by a
                     factor of 0.5 to 2 drawn from SEED, a whole number
  --objects N        s3: versions in the bucket (default 100,000)
  --functions N      lambda-logs: functions (default 1,000)
  --groups N         lambda-logs: log groups (default 10,000)

docs/performance.md explains every figure.
`;

/** The flags above, each followed by its value. */
const valueFlags = ["only", "latency", "copies", "faults", "objects", "functions", "groups", "vary-durations"];

// Measure the runner under the flags its binary starts with: rerun this script with them.
const missing = runnerNodeFlags().filter((flag) => !process.execArgv.includes(flag));
if (missing.length > 0) {
  const child = fork(process.argv[1]!, process.argv.slice(2), { execArgv: [...process.execArgv, ...missing] });
  // The child ends the run; this process only passes on how it ended (Ctrl-C reaches both).
  process.on("SIGINT", () => {});
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await runScenarios();
}

/** Bad flags: say what is wrong and how to ask for help, exit 2, run nothing. */
function refuse(problem: string): void {
  process.stderr.write(`pnpm bench: ${problem}\n(pnpm bench --help lists the options)\n`);
  process.exitCode = 2;
}

async function runScenarios(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(usage);
    return;
  }
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]!.replace(/^--/, "");
    if (!args[i]!.startsWith("--") || !valueFlags.includes(name)) return refuse(`${args[i]}: no such option`);
    if (args[i + 1] === undefined) return refuse(`${args[i]} needs a value`);
  }
  const text = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
  const numbers = (name: string, fallback: string, least = 1): number[] | undefined => {
    const values = (text(name) ?? fallback).split(",").map(Number);
    return values.every((n) => Number.isInteger(n) && n >= least) ? values : undefined;
  };
  const counts: Record<string, number> = {};
  for (const [name, fallback] of [
    ["latency", "20"],
    ["objects", "100000"],
    ["functions", "1000"],
    ["groups", "10000"],
  ] as const) {
    const [value, ...more] = numbers(name, fallback, name === "latency" ? 0 : 1) ?? [];
    if (value === undefined || more.length > 0) return refuse(`--${name} ${text(name)}: expected a whole number`);
    counts[name] = value;
  }
  const copies = numbers("copies", "1,10,100");
  if (!copies) return refuse(`--copies ${text("copies")}: expected sizes such as 1,10,100`);
  const latency = counts.latency!;
  const seedText = text("vary-durations");
  const durationsSeed = seedText === undefined ? undefined : Number(seedText);
  if (durationsSeed !== undefined && !(Number.isInteger(durationsSeed) && durationsSeed >= 0))
    return refuse(`--vary-durations ${seedText}: expected a whole number`);
  const faults = text("faults");
  if (faults) {
    try {
      (await import("@cleanup-runner/core")).parseFaultRates(faults);
    } catch (error) {
      return refuse((error as Error).message);
    }
  }

  const scenarios: Record<string, () => Promise<void>> = {
    s3: async () => (await import("./s3-bucket.js")).benchBucket(counts.objects!, latency),
    "lambda-logs": async () =>
      (await import("./lambda-logs.js")).benchLambdaLogs(counts.functions!, counts.groups!, latency),
    personalize: async () => (await import("./personalize.js")).benchPersonalize(latency),
    "student-system": async () =>
      (await import("./student-system.js")).benchStudentSystem(copies, latency, faults, durationsSeed),
  };
  const only = text("only");
  if (only && !(only in scenarios))
    return refuse(`--only ${only}: no such scenario (${Object.keys(scenarios).join(", ")})`);
  for (const [name, run] of Object.entries(scenarios)) if (!only || only === name) await run();
}
