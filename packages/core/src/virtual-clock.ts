import type { Clock } from "./clock.js";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/**
 * Simulated time for the bench and tests: `sleep` resolves when the driver
 * moves time on, not when the wall clock does. `run` settles every pending
 * promise, then jumps to the next timer, until the work is done, so an hour
 * of paced deletes (and the fixed latency of every mocked call, when the
 * mocks sleep on this clock too) takes milliseconds of real time, with the
 * same interleaving as real time would give.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers: Timer[] = [];

  constructor(start = Date.parse("2026-01-01T00:00:00Z")) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const onAbort = () => {
        const i = this.#timers.indexOf(timer);
        if (i >= 0) this.#timers.splice(i, 1);
        resolve();
      };
      const timer: Timer = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      this.#timers.push(timer);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Milliseconds of simulated time since `start`. */
  elapsedSince(start: number): number {
    return this.#now - start;
  }

  /** Drives `work` to completion in simulated time; rejects if it waits on nothing (a deadlock). */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    let failed = false;
    let result: T | undefined;
    let error: unknown;
    work.then(
      (value) => {
        done = true;
        result = value;
      },
      (reason: unknown) => {
        done = failed = true;
        error = reason;
      },
    );
    for (;;) {
      await settle();
      if (done) break;
      if (this.#timers.length === 0) {
        await new Promise((r) => setTimeout(r, 5)); // real I/O (a socket, a file) may still answer
        await settle();
        if (done) break;
        if (this.#timers.length === 0) throw new Error("virtual clock: the work waits on nothing (deadlock)");
        continue;
      }
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers.shift()!;
      this.#now = Math.max(this.#now, next.at);
      next.resolve();
    }
    if (failed) throw error;
    return result as T;
  }
}

/** Lets every promise that can settle now settle (several macrotask turns). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}
