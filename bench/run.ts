import { benchLambdaLogs } from "./lambda-logs.js";
import { benchPersonalize } from "./personalize.js";
import { benchBucket } from "./s3-bucket.js";

/**
 * `pnpm bench [--only NAME] [--latency MS] [--objects N] [--functions N] [--groups N]`
 * runs each scenario through the real engine and plugins against mocked
 * clients with a fixed latency per call, on simulated time, and prints API
 * calls against the minimum, wall time against what latency and the APIs'
 * quotas allow at best, and peak RSS.
 */
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const latency = flag("latency", 20);

const scenarios: Record<string, () => Promise<void>> = {
  s3: () => benchBucket(flag("objects", 100_000), latency),
  "lambda-logs": () => benchLambdaLogs(flag("functions", 1_000), flag("groups", 10_000), latency),
  personalize: () => benchPersonalize(latency),
};
for (const [name, run] of Object.entries(scenarios)) if (!only || only === name) await run();
