import {
  AccessDeniedError,
  DependencyPendingError,
  FatalError,
  NotFoundError,
  ThrottledError,
  isResourceError,
  type ResourceError,
} from "./errors.js";

/** The shape of an AWS SDK v3 service error, as far as classification needs it. */
interface SdkErrorShape {
  name?: string;
  Code?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

const notFoundNames = new Set([
  "NotFound",
  "NotFoundException",
  "ResourceNotFoundException",
  "ResourceNotFound",
  "NoSuchEntity",
  "NoSuchEntityException",
  "NoSuchBucket",
  "NoSuchKey",
  "NoSuchUpload",
  "TableNotFoundException",
  "BackupNotFoundException",
]);

/** Services name "no such thing" in many ways: QueueDoesNotExist, NoSuchHostedZone, TopicNotFound... */
const notFoundPattern =
  /^(NoSuch[A-Z]\w*|\w*NotFound(Exception|Fault)?|\w*DoesNotExist(Exception)?|\w*NonExistent\w*)$/;

const throttledNames = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ProvisionedThroughputExceededException",
  "LimitExceededException",
  "BandwidthLimitExceeded",
]);

const pendingNames = new Set([
  "DeleteConflict",
  "DeleteConflictException",
  "ResourceInUseException",
  "ResourceInUse",
  "ConflictException",
  "ConcurrentModificationException",
  "ConcurrentModification",
  "OperationAbortedException",
  "OperationAborted",
  "BucketNotEmpty",
  "DependencyViolation",
]);

const accessDeniedNames = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "UnauthorizedException",
  "AuthorizationError",
  "AuthorizationErrorException",
]);

const networkCodes = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ENOTFOUND"]);

/** `... is not authorized to perform: s3:DeleteBucket on resource ...` -> `s3:DeleteBucket` (SNS writes `SNS:DeleteTopic`). */
function deniedAction(message: string): string | undefined {
  return /perform:?\s+([A-Za-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1];
}

/**
 * Turns an AWS SDK error into a classified error by its error code and HTTP
 * status, so every plugin treats AWS's answers alike. Errors that are already
 * classified pass through. Plugins handle service-specific meanings first
 * (e.g. Cognito's "has a domain configured") and call this for the rest.
 */
export function classifyAwsError(error: unknown, what?: string): ResourceError {
  if (isResourceError(error)) return error;
  const e = (error ?? {}) as SdkErrorShape;
  const name = e.name ?? e.Code ?? "";
  const status = e.$metadata?.httpStatusCode;
  const message = `${what ? `${what}: ` : ""}${name ? `${name}: ` : ""}${e.message ?? String(error)}`;
  const options = { cause: error };
  if (notFoundNames.has(name) || notFoundPattern.test(name) || status === 404) {
    return new NotFoundError(message, options);
  }
  if (accessDeniedNames.has(name) || status === 403) {
    const action = deniedAction(e.message ?? "");
    return new AccessDeniedError(message, action ? { ...options, action } : options);
  }
  if (throttledNames.has(name) || status === 429 || e.$retryable?.throttling) {
    return new ThrottledError(message, options);
  }
  if (pendingNames.has(name) || status === 409) return new DependencyPendingError(message, options);
  // Server faults and broken connections that outlived the SDK's own retries:
  // transient, so the engine backs off and tries again like for throttling.
  if ((status !== undefined && status >= 500) || networkCodes.has(e.code ?? "") || name === "TimeoutError") {
    return new ThrottledError(message, options);
  }
  return new FatalError(message, options);
}

/** True when the error means the resource does not exist. */
export function isNotFound(error: unknown): boolean {
  return classifyAwsError(error).kind === "not-found";
}

/** Classifies an error, with a message naming the call; a plugin may put its service's own meanings first. */
export type Classify = (error: unknown, what?: string) => ResourceError;

/**
 * Runs one SDK call; what it throws comes out classified, its message naming
 * the call (`DeleteObjects my-bucket: SlowDown: ...`).
 */
export async function classifiedCall<T>(
  what: string,
  call: () => Promise<T>,
  classify: Classify = classifyAwsError,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classify(error, what);
  }
}

/**
 * The pages of a listing (an SDK paginator, or `pages()`), passed through;
 * what fetching a page throws comes out classified, naming the listing
 * (`ListTables`), as `classifiedCall` does for one call.
 */
export async function* classifiedPages<P>(what: string, listing: AsyncIterable<P>): AsyncGenerator<P> {
  try {
    for await (const page of listing) yield page;
  } catch (error) {
    throw classifyAwsError(error, what);
  }
}

/**
 * Runs one call that removes something a resource owns or holds (a child, an
 * attachment, an association), where "not found" means it is already gone,
 * e.g. after a partial earlier attempt: that is success here, never "the
 * resource is gone". Anything else comes out classified, named by `what`.
 * Answers whether this call removed it (false: it was already gone).
 */
export async function removeUnlessGone(
  what: string,
  call: () => Promise<unknown>,
  classify: Classify = classifyAwsError,
): Promise<boolean> {
  const removed = await readOrUndefined(
    async () => {
      await call();
      return true;
    },
    what,
    classify,
  );
  return removed ?? false;
}

/**
 * Runs an SDK call and classifies what it throws; for reads, `undefined`
 * stands for NotFound so callers can write `if (!result) return "gone"`.
 * `what` names the call in the message of any other error.
 */
export async function readOrUndefined<T>(
  call: () => Promise<T>,
  what?: string,
  classify: Classify = classifyAwsError,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const classified = classify(error, what);
    if (classified.kind === "not-found") return undefined;
    throw classified;
  }
}

/**
 * The AWS error behind a classified error (its `cause`), or the error
 * itself: what a plugin reads a refusal's name and message from, e.g. in a
 * `deleteWithPlannedChildren` check of whether AWS refused for a child.
 */
export function awsErrorBehind(error: unknown): { name?: string; message?: string } {
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause ?? error ?? {};
}
