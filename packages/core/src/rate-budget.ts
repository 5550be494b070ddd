import type { RateBudget } from "@cleanup-runner/plugin-kit";
import type { Clock } from "./clock.js";

/**
 * Paces calls to APIs with hard quotas (DeleteRestApi: 1 per 30 s per
 * account): each acquire reserves the next free slot of its budget, so
 * callers are spaced `perMs / calls` apart without a burst, and a caller
 * waiting here holds no concurrency slot.
 */
export class RateBudgets {
  readonly #nextFree = new Map<string, number>();
  constructor(private readonly clock: Clock) {}

  /** Waits for one token of every budget (per region where the budget is regional). */
  async acquire(budgets: readonly RateBudget[], region: string, signal?: AbortSignal): Promise<void> {
    let wait = 0;
    for (const budget of budgets) {
      const key = RateBudgets.keyOf(budget, region);
      const now = this.clock.now();
      const slot = Math.max(now, this.#nextFree.get(key) ?? now);
      this.#nextFree.set(key, slot + budget.perMs / budget.calls);
      wait = Math.max(wait, slot - now);
    }
    if (wait > 0) await this.clock.sleep(wait, signal);
  }

  /** The budget a call in `region` draws on: one per region where the quota is regional. */
  static keyOf(budget: RateBudget, region: string): string {
    return budget.scope === "region" ? `${budget.key}@${region}` : budget.key;
  }

  /** How long `count` calls under this budget take at the least, from a standing start. */
  static minimumDuration(budget: RateBudget, count: number): number {
    return Math.max(0, count - 1) * (budget.perMs / budget.calls);
  }
}
