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

/** A read that answers undefined when the resource does not exist (NoSuchEntity). */
export function readUnlessGone<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
  return readOrUndefined(call, what, classifyIamError);
}
