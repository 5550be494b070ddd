import type { Found, ResourceContext, ResourceType, VerifyResult } from "@cleanup-runner/plugin-kit";
import type { Clock } from "./clock.js";

interface Waiting {
  readonly found: Found;
  resolve(result: VerifyResult): void;
  reject(error: unknown): void;
}

interface Batch {
  readonly resource: ResourceType;
  readonly ctx: ResourceContext;
  readonly waiting: Waiting[];
}

/**
 * Gathers the verify polls of one type, region and options that fall due at
 * the same moment and answers them with one `verifyAll` call where the type
 * has one: 200 campaigns being deleted cost a listing per poll rather than
 * 200 reads. A poll joins the batch of its moment until the clock lets that
 * moment pass (a sleep of 0, which runs after every timer already due); a
 * batch of one goes to `verify`. A failed `verifyAll` fails each poll of the
 * batch, which the executor treats as it treats a failed `verify`.
 */
export class VerifyBatches {
  readonly #clock: Clock;
  readonly #open = new Map<string, Batch>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * Verifies `found`, batched with the polls due now under the same `key`
   * (type, region and options: what makes one `ctx` answer for all of them).
   */
  verify(resource: ResourceType, ctx: ResourceContext, found: Found, key: string): Promise<VerifyResult> {
    if (!resource.verifyAll) return resource.verify(ctx, found);
    let batch = this.#open.get(key);
    if (!batch) {
      batch = { resource, ctx, waiting: [] };
      this.#open.set(key, batch);
      void this.#answer(key, batch);
    }
    const waiting = batch.waiting;
    return new Promise((resolve, reject) => waiting.push({ found, resolve, reject }));
  }

  async #answer(key: string, batch: Batch): Promise<void> {
    await this.#clock.sleep(0);
    this.#open.delete(key);
    const { resource, ctx, waiting } = batch;
    try {
      const results =
        waiting.length === 1
          ? [await resource.verify(ctx, waiting[0]!.found)]
          : await resource.verifyAll!(
              ctx,
              waiting.map((w) => w.found),
            );
      if (results.length !== waiting.length) {
        throw new Error(`${resource.type} verifyAll answered ${results.length} of ${waiting.length} resources`);
      }
      waiting.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      for (const w of waiting) w.reject(error);
    }
  }
}
