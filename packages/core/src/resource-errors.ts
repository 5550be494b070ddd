import type { ResourceError } from "@cleanup-runner/plugin-kit";

// A plugin may bring its own copy of plugin-kit, whose classified errors are no instance of
// this copy's classes: what the engine reads of them it reads by `kind` and by shape.

/** The IAM action an access-denied error names, if any. */
export function deniedActionOf(error: ResourceError): string | undefined {
  const action = (error as { action?: unknown }).action;
  return error.kind === "access-denied" && typeof action === "string" && action ? action : undefined;
}

/** The read a DependencyPendingError offers instead of another attempt. */
export function pendingCheckOf(error: ResourceError): (() => Promise<boolean>) | undefined {
  const check = (error as { stillPending?: unknown }).stillPending;
  return error.kind === "dependency-pending" && typeof check === "function"
    ? (check as () => Promise<boolean>)
    : undefined;
}
