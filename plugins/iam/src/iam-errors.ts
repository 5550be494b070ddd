import {
  ProtectedError,
  classifiedCall,
  classifyAwsError,
  readOrUndefined,
  removeUnlessGone,
  type ResourceError,
} from "@cleanup-runner/plugin-kit";

// IAM answers UnmodifiableEntity when a call would change a service-linked
// role: AWS protects it, so it is never retried.
const unmodifiableNames = new Set(["UnmodifiableEntity", "UnmodifiableEntityException"]);

/** `classifyAwsError` with IAM's own meanings first. */
function classifyIamError(error: unknown, what = ""): ResourceError {
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === "string" && unmodifiableNames.has(name)) {
    const message = (error as { message?: unknown }).message;
    return new ProtectedError(`${what ? `${what}: ` : ""}${name}: ${typeof message === "string" ? message : ""}`, {
      cause: error,
    });
  }
  return classifyAwsError(error, what);
}

/** Runs an IAM call and throws what it fails with as a classified error. */
export function iamCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  return classifiedCall(what, call, classifyIamError);
}

/**
 * Removes something a resource owns (an inline policy, an attachment, a
 * profile membership). NoSuchEntity means it is already gone, e.g. after a
 * partial earlier attempt: that is success here. If the owner itself is
 * gone, its final delete reports it.
 */
export async function removeOwned(what: string, call: () => Promise<unknown>): Promise<void> {
  await removeUnlessGone(what, call, classifyIamError);
}

/**
 * DeleteConflicts that the final delete of an entity answered (DeleteRole,
 * DeletePolicy, DeleteInstanceProfile), or the removal of a child the plan
 * recorded that has changed since (`removeRecorded`), told apart from those of
 * other child removals (DeleteInstanceProfile inside a role's delete).
 */
const refusedDeletes = new WeakSet<object>();
const deleteConflictNames = new Set(["DeleteConflict", "DeleteConflictException"]);

/** `classifyIamError`, marking a DeleteConflict for `refusedForWhatItHolds`. */
function classifyMarkingConflicts(error: unknown, what?: string): ResourceError {
  const classified = classifyIamError(error, what);
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === "string" && deleteConflictNames.has(name)) refusedDeletes.add(classified);
  return classified;
}

/**
 * Runs the call that deletes the entity itself, classified like `iamCall`.
 * IAM answers DeleteConflict while the entity still holds something (an
 * attachment, a version, a role), or right after its removal, before IAM
 * sees it gone: such an answer is marked for `refusedForWhatItHolds`.
 */
export async function deleteEntity(what: string, call: () => Promise<unknown>): Promise<void> {
  await classifiedCall(what, call, classifyMarkingConflicts);
}

/**
 * Removes a child the plan recorded, like `removeOwned` (NoSuchEntity: already
 * gone), where a DeleteConflict means the record is out of date, e.g.
 * DeletePolicyVersion of a version made the default since the plan: such an
 * answer is marked for `refusedForWhatItHolds`, so that the caller reads fresh
 * instead of repeating the plan's list.
 */
export async function removeRecorded(what: string, call: () => Promise<unknown>): Promise<void> {
  await removeUnlessGone(what, call, classifyMarkingConflicts);
}

/**
 * True when `deleteEntity` or `removeRecorded` threw this error for a
 * DeleteConflict: the entity holds something the plan did not show, the plan's
 * record has changed, or IAM has not yet seen a removal. It stays a retryable
 * DependencyPending for the engine.
 */
export function refusedForWhatItHolds(error: unknown): boolean {
  return typeof error === "object" && error !== null && refusedDeletes.has(error);
}

/** A read that answers undefined when the resource does not exist (NoSuchEntity). */
export function readUnlessGone<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
  return readOrUndefined(call, what, classifyIamError);
}
