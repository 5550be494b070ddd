import { seededRandom } from "@cleanup-runner/core";
import { defaultDeletePhases, type DeletePhases } from "@cleanup-runner/plugin-personalize/testing";

const minute = 60_000;

/** How long the student-system bench's Personalize waits take. */
export interface PersonalizeDurations {
  /** Each kind's DELETE PENDING and DELETE IN_PROGRESS, ms. */
  readonly deletePhases: DeletePhases;
  /** The items import still running when the run starts, ms. */
  readonly importMs: number;
  /** The batch inference job still running on the similar-items solution, ms. */
  readonly batchMs: number;
  /** Stopping the ranking solution's training (CREATE STOPPING), ms. */
  readonly stopMs: number;
}

/** The fake's own durations, which the tables of docs/performance.md are measured with. */
export const workshopDurations: PersonalizeDurations = {
  deletePhases: defaultDeletePhases,
  importMs: 12 * minute,
  batchMs: 8 * minute,
  stopMs: 3 * minute,
};

/**
 * The workshop's durations, each (a kind's two delete phases together)
 * scaled by a factor of its own between 0.5 and 2, drawn from `seed`: the
 * same seed, the same durations. Shows that what the bench measures is not
 * bound to one set of durations (`pnpm bench --vary-durations SEED`).
 */
export function variedDurations(seed: number): PersonalizeDurations {
  const random = seededRandom(seed);
  const scaled = (ms: number, factor: number) => Math.round(ms * factor);
  const factor = () => 2 ** (random() * 2 - 1);
  const deletePhases = Object.fromEntries(
    Object.entries(workshopDurations.deletePhases).map(([kind, [pending, inProgress]]) => {
      const f = factor();
      return [kind, [scaled(pending, f), scaled(inProgress, f)]];
    }),
  ) as unknown as DeletePhases;
  return {
    deletePhases,
    importMs: scaled(workshopDurations.importMs, factor()),
    batchMs: scaled(workshopDurations.batchMs, factor()),
    stopMs: scaled(workshopDurations.stopMs, factor()),
  };
}
