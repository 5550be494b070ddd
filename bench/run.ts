import { benchBucket } from "./s3-bucket.js";

/**
 * `pnpm bench [--objects N] [--latency MS]`: runs the scenarios against
 * mocked clients with a fixed latency per call, and prints API calls against
 * the minimum, wall time against the latency-bound minimum, and peak RSS.
 */
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

await benchBucket(flag("objects", 100_000), flag("latency", 20));
