/**
 * `pnpm bench [--only NAME] [--latency MS] [--objects N] [--functions N] [--groups N]
 * [--copies 1,10,100] [--faults throttle=0.2,serverError=0.05,...]`
 * runs each scenario through the real engine and plugins against mocked
 * clients with a fixed latency per call, on simulated time, and prints API
 * calls against the minimum, wall time against what latency and the APIs'
 * quotas allow at best, and peak RSS. Each scenario's modules are loaded
 * when it runs, so one scenario's peak RSS does not count another's code.
 */
import { fork } from "node:child_process";
import { runnerNodeFlags } from "./runner-flags.js";

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

async function runScenarios(): Promise<void> {
  const args = process.argv.slice(2);
  const text = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
  const flag = (name: string, fallback: number) => {
    const value = text(name);
    return value === undefined ? fallback : Number(value);
  };
  const only = text("only");
  const latency = flag("latency", 20);
  const copies = (text("copies") ?? "1,10,100").split(",").map(Number);
  if (copies.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`--copies ${text("copies")}: expected 1,10,100`);

  const scenarios: Record<string, () => Promise<void>> = {
    s3: async () => (await import("./s3-bucket.js")).benchBucket(flag("objects", 100_000), latency),
    "lambda-logs": async () =>
      (await import("./lambda-logs.js")).benchLambdaLogs(flag("functions", 1_000), flag("groups", 10_000), latency),
    personalize: async () => (await import("./personalize.js")).benchPersonalize(latency),
    "student-system": async () =>
      (await import("./student-system.js")).benchStudentSystem(copies, latency, text("faults")),
  };
  if (only && !(only in scenarios))
    throw new Error(`--only ${only}: no such scenario (${Object.keys(scenarios).join(", ")})`);
  for (const [name, run] of Object.entries(scenarios)) if (!only || only === name) await run();
}
