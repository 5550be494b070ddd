import { describe, expect, it } from "vitest";
import {
  AccessDeniedError,
  DependencyPendingError,
  FatalError,
  NotFoundError,
  ProtectedError,
  ResourceError,
  ThrottledError,
  isResourceError,
} from "./errors.js";

describe("classified errors", () => {
  it.each([
    [new NotFoundError("x"), "not-found", false, "NotFoundError"],
    [new ThrottledError("x"), "throttled", true, "ThrottledError"],
    [new DependencyPendingError("x"), "dependency-pending", true, "DependencyPendingError"],
    [new ProtectedError("x"), "protected", false, "ProtectedError"],
    [new AccessDeniedError("x"), "access-denied", false, "AccessDeniedError"],
    [new FatalError("x"), "fatal", false, "FatalError"],
  ] as const)("%s: kind %s, retryable %s, name %s", (error, kind, retryable, name) => {
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(retryable);
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(ResourceError);
    expect(isResourceError(error)).toBe(true);
  });

  it("keeps the cause and the denied action", () => {
    const cause = new Error("sdk");
    const error = new AccessDeniedError("denied", { cause, action: "s3:DeleteBucket" });
    expect(error.cause).toBe(cause);
    expect(error.action).toBe("s3:DeleteBucket");
    expect(new AccessDeniedError("denied").action).toBeUndefined();
  });

  it("isResourceError: not for plain errors or unknown kinds", () => {
    expect(isResourceError(new Error("x"))).toBe(false);
    expect(isResourceError(Object.assign(new Error("x"), { kind: "weird" }))).toBe(false);
    expect(isResourceError({ kind: "not-found" })).toBe(false); // not an Error
    expect(isResourceError(Object.assign(new Error("x"), { kind: "throttled" }))).toBe(true);
  });
});
