import { describe, expect, it } from "vitest";
import { isReadOnlyOperation } from "./operations.js";

describe("isReadOnlyOperation", () => {
  it.each([
    "ListBuckets",
    "ListObjectVersions",
    "DescribeTable",
    "GetCallerIdentity",
    "GetBucketTagging",
    "HeadBucket",
    "LookupEvents",
    "SearchResources",
    "BatchGetItem",
    "Query",
    "Scan",
    "QueryTables",
  ])("%s reads", (operation) => {
    expect(isReadOnlyOperation(operation)).toBe(true);
  });

  it.each([
    "DeleteBucket",
    "DeleteTable",
    "PutBucketPolicy",
    "CreateRole",
    "UpdateTable",
    "TagResource",
    "UntagResource",
    "AssumeRole",
    "BatchWriteItem",
    "DetachRolePolicy",
    "Getaway",
    "Listen",
    "Scanner",
    "Describes",
    "",
  ])("%s does not", (operation) => {
    expect(isReadOnlyOperation(operation)).toBe(false);
  });
});
