import { describe, expect, it } from "vitest";
import {
  awsErrorBehind,
  classifiedCall,
  classifiedPages,
  classifyAwsError,
  isNotFound,
  readOrUndefined,
  removeUnlessGone,
} from "./aws-errors.js";
import {
  AccessDeniedError,
  DependencyPendingError,
  FatalError,
  NotFoundError,
  ProtectedError,
  ThrottledError,
  type ErrorKind,
} from "./errors.js";

/** An error shaped like an AWS SDK v3 service exception. */
function sdkError(name: string, status?: number, message = `${name} happened`, extra: object = {}): Error {
  return Object.assign(new Error(message), {
    name,
    ...(status !== undefined ? { $metadata: { httpStatusCode: status } } : {}),
    ...extra,
  });
}

describe("classifyAwsError by error name", () => {
  const table: [string, ErrorKind][] = [
    ["ResourceNotFoundException", "not-found"],
    ["NotFoundException", "not-found"],
    ["NoSuchEntity", "not-found"],
    ["NoSuchBucket", "not-found"],
    ["TableNotFoundException", "not-found"],
    ["ThrottlingException", "throttled"],
    ["Throttling", "throttled"],
    ["TooManyRequestsException", "throttled"],
    ["RequestLimitExceeded", "throttled"],
    ["SlowDown", "throttled"],
    ["ProvisionedThroughputExceededException", "throttled"],
    ["LimitExceededException", "throttled"],
    ["DeleteConflict", "dependency-pending"],
    ["ResourceInUseException", "dependency-pending"],
    ["ConflictException", "dependency-pending"],
    ["ConcurrentModificationException", "dependency-pending"],
    ["BucketNotEmpty", "dependency-pending"],
    ["DependencyViolation", "dependency-pending"],
    ["AccessDenied", "access-denied"],
    ["AccessDeniedException", "access-denied"],
    ["UnauthorizedOperation", "access-denied"],
    ["AuthorizationError", "access-denied"],
    ["ValidationException", "fatal"],
    ["InvalidParameterValueException", "fatal"],
  ];
  it.each(table)("%s -> %s", (name, kind) => {
    const error = sdkError(name, 400);
    const classified = classifyAwsError(error);
    expect(classified.kind).toBe(kind);
    expect(classified.cause).toBe(error);
    expect(classified.message).toContain(name);
  });

  it("reads Code when there is no name", () => {
    expect(classifyAwsError({ Code: "NoSuchKey", message: "gone" }).kind).toBe("not-found");
  });
});

describe("classifyAwsError by HTTP status and transport", () => {
  const table: [number, ErrorKind][] = [
    [404, "not-found"],
    [403, "access-denied"],
    [429, "throttled"],
    [409, "dependency-pending"],
    [500, "throttled"],
    [502, "throttled"],
    [503, "throttled"],
    [504, "throttled"],
    [400, "fatal"],
  ];
  it.each(table)("status %i -> %s", (status, kind) => {
    expect(classifyAwsError(sdkError("UnknownError", status)).kind).toBe(kind);
  });

  it("a name beats a status (throttling sent with 400)", () => {
    expect(classifyAwsError(sdkError("ThrottlingException", 400)).kind).toBe("throttled");
    expect(classifyAwsError(sdkError("ValidationException", 400)).kind).toBe("fatal");
  });

  it("the SDK's throttling flag", () => {
    expect(classifyAwsError(sdkError("Weird", 400, "x", { $retryable: { throttling: true } })).kind).toBe("throttled");
  });

  it.each(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ENOTFOUND"])(
    "network error %s -> throttled (transient)",
    (code) => {
      const error = Object.assign(new Error(`connect ${code}`), { code });
      expect(classifyAwsError(error).kind).toBe("throttled");
    },
  );

  it("a TimeoutError -> throttled", () => {
    expect(classifyAwsError(sdkError("TimeoutError")).kind).toBe("throttled");
  });

  it("anything else is fatal, also for non-errors", () => {
    expect(classifyAwsError(new Error("boom")).kind).toBe("fatal");
    expect(classifyAwsError("a string").message).toContain("a string");
    expect(classifyAwsError(undefined).kind).toBe("fatal");
    expect(classifyAwsError(null).kind).toBe("fatal");
  });

  it("prefixes what was being done", () => {
    const classified = classifyAwsError(sdkError("ValidationException", 400, "bad id"), "s3.bucket b1");
    expect(classified.message).toBe("s3.bucket b1: ValidationException: bad id");
  });
});

describe("classifyAwsError for access denied", () => {
  it.each([
    [
      "User: arn:aws:iam::123456789012:user/t is not authorized to perform: s3:DeleteBucket on resource: arn:aws:s3:::b",
      "s3:DeleteBucket",
    ],
    [
      "User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: iam:DeleteRole on resource: role x because no identity-based policy allows the iam:DeleteRole action",
      "iam:DeleteRole",
    ],
    ["not authorized to perform dynamodb:DeleteTable", "dynamodb:DeleteTable"],
    ["User: x is not authorized to perform: SNS:DeleteTopic on resource: arn:aws:sns:us-east-1:1:t", "SNS:DeleteTopic"],
    ["is not authorized to perform: execute-api:Invoke", "execute-api:Invoke"],
    ["You are not authorized to perform this operation.", undefined],
  ])("%s -> %s", (message, action) => {
    const classified = classifyAwsError(sdkError("AccessDeniedException", 400, message));
    expect(classified).toBeInstanceOf(AccessDeniedError);
    expect((classified as AccessDeniedError).action).toBe(action);
  });
});

describe("classifyAwsError passthrough", () => {
  it.each([
    new NotFoundError("a"),
    new ThrottledError("b"),
    new DependencyPendingError("c"),
    new ProtectedError("d"),
    new AccessDeniedError("e", { action: "x:Y" }),
    new FatalError("f"),
  ])("%s is returned as it is", (error) => {
    expect(classifyAwsError(error, "ignored")).toBe(error);
  });

  it("a classified error from another copy of plugin-kit (duck-typed by kind) passes through", () => {
    const foreign = Object.assign(new Error("other copy"), { kind: "dependency-pending" });
    expect(classifyAwsError(foreign)).toBe(foreign);
  });
});

describe("isNotFound and readOrUndefined", () => {
  it("isNotFound", () => {
    expect(isNotFound(sdkError("NoSuchEntity", 404))).toBe(true);
    expect(isNotFound(sdkError("ThrottlingException", 400))).toBe(false);
  });

  it("readOrUndefined: the value, undefined for NotFound, classified errors otherwise", async () => {
    await expect(readOrUndefined(async () => 42)).resolves.toBe(42);
    await expect(readOrUndefined(() => Promise.reject(sdkError("ResourceNotFoundException", 400)))).resolves.toBe(
      undefined,
    );
    await expect(readOrUndefined(() => Promise.reject(sdkError("ThrottlingException", 400)))).rejects.toBeInstanceOf(
      ThrottledError,
    );
  });

  it("readOrUndefined names the call, and takes a service's own classifier first", async () => {
    await expect(
      readOrUndefined(() => Promise.reject(sdkError("ThrottlingException", 400)), "GetRole r"),
    ).rejects.toThrow(/^GetRole r: ThrottlingException/);
    const unmodifiable = (error: unknown, what?: string) =>
      (error as Error).name === "UnmodifiableEntity"
        ? new ProtectedError(`${what}: service-linked`)
        : classifyAwsError(error, what);
    await expect(
      readOrUndefined(() => Promise.reject(sdkError("UnmodifiableEntity", 400)), "GetRole r", unmodifiable),
    ).rejects.toMatchObject({ kind: "protected", message: "GetRole r: service-linked" });
    await expect(
      readOrUndefined(() => Promise.reject(sdkError("NoSuchEntity", 404)), "GetRole r", unmodifiable),
    ).resolves.toBeUndefined();
  });
});

describe("classifiedPages", () => {
  it("passes every page through; a page that fails comes out classified, naming the listing", async () => {
    async function* listing() {
      yield 1;
      yield 2;
      throw sdkError("ThrottlingException", 400);
    }
    const seen: number[] = [];
    const failed = (async () => {
      for await (const page of classifiedPages("ListTables", listing())) seen.push(page);
    })();
    await expect(failed).rejects.toBeInstanceOf(ThrottledError);
    await expect(failed).rejects.toThrow(/^ListTables: ThrottlingException/);
    expect(seen).toEqual([1, 2]);
  });
});

describe("removeUnlessGone", () => {
  it("true when the call removed it, false when it was already gone, anything else classified and named", async () => {
    await expect(removeUnlessGone("DeleteArchive a", async () => ({}))).resolves.toBe(true);
    await expect(
      removeUnlessGone("DeleteArchive a", () => Promise.reject(sdkError("ResourceNotFoundException", 400))),
    ).resolves.toBe(false);
    const throttled = removeUnlessGone("DeleteArchive a", () => Promise.reject(sdkError("ThrottlingException", 400)));
    await expect(throttled).rejects.toBeInstanceOf(ThrottledError);
    await expect(throttled).rejects.toThrow(/^DeleteArchive a: ThrottlingException/);
    const inUse = (_error: unknown, what?: string) => new FatalError(`${what}: in use`);
    await expect(
      removeUnlessGone("DeleteBackup b", () => Promise.reject(sdkError("BackupInUseException", 400)), inUse),
    ).rejects.toMatchObject({ kind: "fatal", message: "DeleteBackup b: in use" });
  });
});

describe("classifiedCall", () => {
  it("passes the value through and throws what fails classified, naming the call", async () => {
    await expect(classifiedCall("DeleteObjects b", async () => "ok")).resolves.toBe("ok");
    const failed = classifiedCall("DeleteObjects b", () => Promise.reject(sdkError("SlowDown", 503)));
    await expect(failed).rejects.toBeInstanceOf(ThrottledError);
    await expect(failed).rejects.toThrow(/^DeleteObjects b: SlowDown/);
    const mine = (_error: unknown, what?: string) => new FatalError(`${what}: mine`);
    await expect(classifiedCall("X", () => Promise.reject(new Error("boom")), mine)).rejects.toThrow("X: mine");
  });
});

describe("awsErrorBehind", () => {
  it("is the AWS error a classified error was made from, or the error itself", async () => {
    const refusal = sdkError("DeleteConflict", 409, "Cannot delete entity, must detach all policies first.");
    const classified = await classifiedCall("DeleteRole r", () => Promise.reject(refusal)).catch((e: unknown) => e);
    expect(awsErrorBehind(classified)).toBe(refusal);
    expect(awsErrorBehind(refusal)).toBe(refusal);
    expect(awsErrorBehind(undefined)).toEqual({});
  });
});
