/**
 * Personalize statuses, spelled as the Describe and List APIs return them
 * (`CREATE IN_PROGRESS`, `DELETE PENDING`, batch jobs' `IN PROGRESS`).
 */

/** DELETE PENDING / DELETE IN_PROGRESS: AWS is deleting it; it only has to be waited for. */
export function isDeleting(status: string | undefined): boolean {
  return status?.startsWith("DELETE") ?? false;
}

/** States in which a solution version or a job has ended. */
const endedStates = new Set(["ACTIVE", "CREATE FAILED", "CREATE STOPPED", "COMPLETED", "FAILED"]);

/**
 * A solution version or a job (import, export, batch) that still runs: none
 * of them has a delete API, and the resource they use cannot go before they
 * end. Anything not known to have ended counts as running.
 */
export function isRunning(status: string | undefined): boolean {
  return status !== undefined && !endedStates.has(status);
}

/** A solution version that StopSolutionVersionCreation accepts. */
export function isStoppable(status: string | undefined): boolean {
  return status === "CREATE PENDING" || status === "CREATE IN_PROGRESS";
}

/** States in which a Delete call is accepted without waiting. */
const settledStates = new Set(["ACTIVE", "INACTIVE"]);

/**
 * The resource's own state is changing (being created or updated): AWS
 * refuses the delete until it settles.
 */
export function isChanging(status: string | undefined): boolean {
  return status !== undefined && !settledStates.has(status) && status !== "CREATE FAILED" && !isDeleting(status);
}

/** What the plan should say about a resource's own status, if anything. */
export function statusNote(status: string | undefined): string | undefined {
  if (status === undefined || settledStates.has(status)) return undefined;
  if (isDeleting(status)) return `already being deleted (${status}): the run only waits until it is gone`;
  if (status === "CREATE FAILED") return "its creation failed (CREATE FAILED): it is deleted as it is";
  if (status.startsWith("CREATE")) return `still being created (${status}): it is deleted once creation ends`;
  return `changing state (${status}): it is deleted once the change ends`;
}
