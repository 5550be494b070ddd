import { describe, expect, it } from "vitest";
import { CallLog } from "./call-log.js";

describe("CallLog", () => {
  it("counts by service and operation, sorted, with a total", () => {
    const log = new CallLog();
    expect(log.toJSON()).toEqual({});
    expect(log.total).toBe(0);
    log.record("S3", "ListObjectVersions");
    log.record("S3", "DeleteObjects");
    log.record("S3", "ListObjectVersions");
    log.record("DynamoDB", "DeleteTable");
    expect(log.toJSON()).toEqual({ DynamoDB: { DeleteTable: 1 }, S3: { DeleteObjects: 1, ListObjectVersions: 2 } });
    expect(Object.keys(log.toJSON())).toEqual(["DynamoDB", "S3"]);
    expect(Object.keys(log.toJSON().S3!)).toEqual(["DeleteObjects", "ListObjectVersions"]);
    expect(log.total).toBe(4);
    expect(JSON.parse(JSON.stringify(log))).toEqual(log.toJSON());
  });
});
