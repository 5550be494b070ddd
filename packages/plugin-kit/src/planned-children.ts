/**
 * Runs a delete with the children the plan recorded (describe saved them in
 * `Found.details`), so that apply does not read again what planning read a
 * moment before; and removes what the plan showed, reading what was made
 * since only when it is in the way (AWS refuses the delete for it).
 *
 * - `planned` is `undefined` when the plan holds none (a plan file written
 *   before the type recorded them): the children are read fresh.
 * - When AWS refuses the delete because a child remains that the plan did not
 *   see (`refusedForChildren`: made after the plan, or the plan is an old
 *   file), the children are read fresh once and the delete is attempted
 *   again. A second refusal propagates, for the plugin's classification
 *   (usually DependencyPending: the executor retries later).
 *
 * Only for children whose removal is safe to repeat (NotFound means already
 * removed, see `removeUnlessGone`): a retry starts again from the plan's list.
 */
export async function deleteWithPlannedChildren<C>(
  planned: C | undefined,
  readFresh: () => Promise<C>,
  attempt: (children: C) => Promise<void>,
  refusedForChildren: (error: unknown) => boolean,
): Promise<void> {
  if (planned === undefined) return attempt(await readFresh());
  try {
    await attempt(planned);
  } catch (error) {
    if (!refusedForChildren(error)) throw error;
    await attempt(await readFresh());
  }
}

/**
 * Whether a value read back from a plan's `details` is a list of strings. A
 * plan file may be older than the field, or damaged: anything else means
 * "not recorded", and the delete reads fresh.
 */
export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/** A list of strings read back from a plan's `details`; undefined when absent or malformed. */
export function recordedStrings(value: unknown): string[] | undefined {
  return isStringArray(value) ? value : undefined;
}
