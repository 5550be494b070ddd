/**
 * Classified errors: a plugin throws one of these from delete (or lets
 * `classifyAwsError` turn an SDK error into one), and the engine decides
 * what happens next from the class alone, never from the message.
 */

/** What the engine does with each kind of failure. */
export type ErrorKind =
  /** The resource is already gone: counts as deleted. */
  | "not-found"
  /** Rate-limited: wait with backoff, retry until the deadline. */
  | "throttled"
  /** Something it depends on is still going (eventual consistency, async deletes): retry later. */
  | "dependency-pending"
  /** Deletion protection, Object Lock, an AWS-managed resource: never forced. */
  | "protected"
  /** The credentials lack a permission: fail fast and say which. */
  | "access-denied"
  /** Anything else: fail this resource, go on with the others. */
  | "fatal";

/** The base of every classified error. */
export abstract class ResourceError extends Error {
  /** How the engine treats it. */
  abstract readonly kind: ErrorKind;
  /** Whether the engine retries the delete (with backoff, until the deadline). */
  get retryable(): boolean {
    return this.kind === "throttled" || this.kind === "dependency-pending";
  }
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The resource does not exist (any more). */
export class NotFoundError extends ResourceError {
  readonly kind = "not-found" as const;
}

/** The API said slow down. */
export class ThrottledError extends ResourceError {
  readonly kind = "throttled" as const;
}

/** The resource cannot go yet: something it depends on is still there or still changing. */
export class DependencyPendingError extends ResourceError {
  readonly kind = "dependency-pending" as const;
  /**
   * A read that answers whether what the delete waits for is still there
   * (an import job still running), when it is cheaper than attempting the
   * delete again. When given, the engine calls it instead of the delete, at
   * the pace it polls the type's verify (`pollIntervalMs`, spaced out as the
   * wait grows), and attempts the delete again only once it answers false
   * or fails. It must not change anything: it runs at that pace until the
   * type's deadline.
   */
  readonly stillPending: (() => Promise<boolean>) | undefined;
  constructor(message: string, options?: { cause?: unknown; stillPending?: () => Promise<boolean> }) {
    super(message, options);
    this.stillPending = options?.stillPending;
  }
}

/** The resource is protected from deletion and the manifest did not opt in to lifting it. */
export class ProtectedError extends ResourceError {
  readonly kind = "protected" as const;
}

/** The credentials may not make this call. */
export class AccessDeniedError extends ResourceError {
  readonly kind = "access-denied" as const;
  /** The IAM action that was denied, e.g. `s3:DeleteBucket`, when known. */
  readonly action: string | undefined;
  constructor(message: string, options?: { cause?: unknown; action?: string }) {
    super(message, options);
    this.action = options?.action;
  }
}

/** Any other failure: this resource failed, the run goes on. */
export class FatalError extends ResourceError {
  readonly kind = "fatal" as const;
}

const kinds: readonly string[] = [
  "not-found",
  "throttled",
  "dependency-pending",
  "protected",
  "access-denied",
  "fatal",
];

/** True for any classified error, whichever copy of plugin-kit made it. */
export function isResourceError(error: unknown): error is ResourceError {
  if (error instanceof ResourceError) return true;
  const kind = error instanceof Error ? (error as unknown as { kind?: unknown }).kind : undefined;
  return typeof kind === "string" && kinds.includes(kind);
}
