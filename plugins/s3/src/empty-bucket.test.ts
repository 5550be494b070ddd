import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { emptyBucket } from "./empty-bucket.js";
import { FakeBucket, s3Error } from "./testing/fake-bucket.js";

const s3 = mockClient(S3Client);
const client = new S3Client({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });

/** Points the mocked S3 at a fake bucket. */
function serve(fake: FakeBucket): void {
  s3.on(ListObjectVersionsCommand).callsFake((input) => fake.listObjectVersions(input));
  s3.on(DeleteObjectsCommand).callsFake((input) => fake.deleteObjects(input));
  s3.on(ListMultipartUploadsCommand).callsFake((input) => fake.listMultipartUploads(input));
  s3.on(AbortMultipartUploadCommand).callsFake((input) => fake.abortMultipartUpload(input));
}

/** Every DeleteObjects call's keys. */
function deleteBatches(): { Key?: string; VersionId?: string }[][] {
  return s3.commandCalls(DeleteObjectsCommand).map((call) => call.args[0].input.Delete?.Objects ?? []);
}

beforeEach(() => {
  s3.reset();
});

describe("emptyBucket", () => {
  it("deletes every version and delete marker of a versioned bucket with the minimum number of calls", async () => {
    // 900 keys x 3 versions = 2,700 entries, a delete marker on top of every third key.
    const fake = new FakeBucket(FakeBucket.versioned(900, 3));
    serve(fake);

    const result = await emptyBucket(client, "b", {});

    expect(fake.remaining).toEqual([]);
    expect(result).toEqual({ deleted: 2700, uploadsAborted: 0 });
    expect(s3).toHaveReceivedCommandTimes(ListObjectVersionsCommand, 3);
    expect(s3).toHaveReceivedCommandTimes(DeleteObjectsCommand, 3);
    expect(deleteBatches().map((b) => b.length)).toEqual([1000, 1000, 700]);
    const markers = deleteBatches()
      .flat()
      .filter((o) => o.VersionId === "v3-0");
    expect(markers).toEqual([{ Key: "doc-000000", VersionId: "v3-0" }]);
    for (const call of s3.commandCalls(DeleteObjectsCommand)) {
      expect(call.args[0].input).toMatchObject({ Bucket: "b", Delete: { Quiet: true } });
      expect(call.args[0].input.BypassGovernanceRetention).toBeUndefined();
    }
  });

  it("deletes the objects of an unversioned bucket (version id null) from the same listing", async () => {
    const fake = new FakeBucket(FakeBucket.unversioned(1001));
    serve(fake);

    const result = await emptyBucket(client, "b");

    expect(result.deleted).toBe(1001);
    expect(fake.remaining).toEqual([]);
    expect(deleteBatches().map((b) => b.length)).toEqual([1000, 1]);
    expect(deleteBatches()[1]).toEqual([{ Key: "key-0001000", VersionId: "null" }]);
  });

  it("pages ListObjectVersions by KeyMarker and VersionIdMarker with 1,000 keys a page", async () => {
    const fake = new FakeBucket(FakeBucket.versioned(1000, 2));
    serve(fake);

    await emptyBucket(client, "b");

    const inputs = s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toEqual({ Bucket: "b", MaxKeys: 1000 });
    expect(inputs[1]).toEqual({ Bucket: "b", MaxKeys: 1000, KeyMarker: "doc-000499", VersionIdMarker: "v1-499" });
    expect(fake.remaining).toEqual([]);
  });

  it("streams: deletes start before the listing ends and few listed keys wait at any time", async () => {
    const fake = new FakeBucket(FakeBucket.unversioned(20_000), [], { deleteLatencyMs: 2 });
    serve(fake);

    await emptyBucket(client, "b", { concurrency: 4 });

    expect(fake.remaining).toEqual([]);
    expect(fake.log.indexOf("delete")).toBeLessThan(fake.log.lastIndexOf("list"));
    // At most the batches in flight, the one being filled and the held-back marker wait for a delete.
    expect(fake.maxListedNotDeleted).toBeLessThanOrEqual((4 + 1) * 1000 + 1);
  });

  it("keeps several DeleteObjects calls in flight, never more than the bound", async () => {
    const fake = new FakeBucket(FakeBucket.unversioned(12_000), [], { deleteLatencyMs: 20 });
    serve(fake);

    await emptyBucket(client, "b", { concurrency: 3 });

    expect(fake.maxDeletesInFlight).toBe(3);
    expect(s3).toHaveReceivedCommandTimes(DeleteObjectsCommand, 12);
  });

  it("finishes when the server loses its place once the marker version is deleted (as moto does)", async () => {
    const fake = new FakeBucket(FakeBucket.versioned(1500, 2), [], { strictMarkers: true });
    serve(fake);

    await emptyBucket(client, "b", { concurrency: 8 });

    expect(fake.remaining).toEqual([]);
  });

  it("aborts every incomplete multipart upload, over several pages, before deleting objects", async () => {
    const uploads = Array.from({ length: 1001 }, (_, i) => ({ Key: `big-${i}`, UploadId: `u${i}` }));
    const fake = new FakeBucket(FakeBucket.unversioned(3), uploads);
    serve(fake);

    const result = await emptyBucket(client, "b");

    expect(result.uploadsAborted).toBe(1001);
    expect(fake.remainingUploads).toEqual([]);
    expect(s3).toHaveReceivedCommandTimes(ListMultipartUploadsCommand, 2);
    expect(fake.log.lastIndexOf("abort")).toBeLessThan(fake.log.indexOf("list"));
  });

  it("counts an upload that is already gone (NoSuchUpload) as aborted", async () => {
    s3.on(ListMultipartUploadsCommand).resolves({ Uploads: [{ Key: "k", UploadId: "u" }], IsTruncated: false });
    s3.on(AbortMultipartUploadCommand).rejects(s3Error("NoSuchUpload", 404));
    s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false });

    await expect(emptyBucket(client, "b")).resolves.toEqual({ deleted: 0, uploadsAborted: 1 });
    expect(s3).not.toHaveReceivedCommand(DeleteObjectsCommand);
  });

  it("counts keys reported missing (NoSuchVersion) as deleted, without a retry", async () => {
    const fake = new FakeBucket(FakeBucket.unversioned(10));
    fake.failKey("key-0000003", "null", "NoSuchVersion");
    serve(fake);

    await expect(emptyBucket(client, "b")).resolves.toMatchObject({ deleted: 10 });
    expect(s3).toHaveReceivedCommandTimes(DeleteObjectsCommand, 1);
  });

  it("retries keys that failed once in a later call and succeeds", async () => {
    const fake = new FakeBucket(FakeBucket.unversioned(1500));
    fake.failKey("key-0000007", "null", "InternalError");
    fake.failKey("key-0001400", "null", "SlowDown");
    serve(fake);

    const result = await emptyBucket(client, "b");

    expect(result.deleted).toBe(1500);
    expect(fake.remaining).toEqual([]);
    expect(deleteBatches().at(-1)).toEqual([
      { Key: "key-0000007", VersionId: "null" },
      { Key: "key-0001400", VersionId: "null" },
    ]);
  });

  it("retries the version that was sent even when the per-key error leaves VersionId out (moto)", async () => {
    s3.on(ListMultipartUploadsCommand).resolves({ IsTruncated: false });
    s3.on(ListObjectVersionsCommand).resolves({
      IsTruncated: false,
      Versions: [
        { Key: "a", VersionId: "v2" },
        { Key: "a", VersionId: "v1" },
      ],
    });
    s3.on(DeleteObjectsCommand)
      .resolvesOnce({ Errors: [{ Key: "a", Code: "InternalError" }] })
      .resolves({});

    await emptyBucket(client, "b");

    // Without the version id the retry would only lay a delete marker on a versioned bucket.
    expect(deleteBatches()[1]).toEqual([{ Key: "a", VersionId: "v2" }]);
  });

  it("fails as Protected, naming the keys, when Object Lock keeps versions after the retry", async () => {
    const fake = new FakeBucket(FakeBucket.unversioned(5));
    fake.failKey("key-0000002", "null", "AccessDenied", "AccessDenied");
    serve(fake);

    const error = await emptyBucket(client, "b", { objectLockEnabled: true, bypassGovernanceRetention: true }).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ kind: "protected" });
    expect((error as Error).message).toMatch(/1 object version\(s\).*key-0000002 \(version null\): AccessDenied/);
    expect((error as Error).message).toMatch(/compliance-mode retention, a legal hold/);
    expect(fake.remaining.map((v) => v.Key)).toEqual(["key-0000002"]);
    for (const call of s3.commandCalls(DeleteObjectsCommand)) {
      expect(call.args[0].input.BypassGovernanceRetention).toBe(true);
    }
  });

  it("fails as AccessDenied naming the permission when a bucket without Object Lock refuses keys", async () => {
    const fake = new FakeBucket(FakeBucket.unversioned(5));
    fake.failKey("key-0000001", "null", "AccessDenied", "AccessDenied");
    serve(fake);

    await expect(emptyBucket(client, "b")).rejects.toMatchObject({
      kind: "access-denied",
      action: "s3:DeleteObjectVersion",
    });
  });

  it("fails as Throttled when keys keep failing with a transient code, so the engine tries again later", async () => {
    const fake = new FakeBucket(FakeBucket.unversioned(5));
    fake.failKey("key-0000001", "null", "SlowDown", "InternalError");
    serve(fake);

    await expect(emptyBucket(client, "b")).rejects.toMatchObject({ kind: "throttled" });
  });

  it("fails as Fatal on any other per-key code", async () => {
    const fake = new FakeBucket(FakeBucket.unversioned(5));
    fake.failKey("key-0000004", "null", "InvalidObjectState", "InvalidObjectState");
    serve(fake);

    await expect(emptyBucket(client, "b")).rejects.toMatchObject({ kind: "fatal" });
  });

  it("stops listing once a retry has failed, instead of walking a bucket it cannot empty", async () => {
    const fake = new FakeBucket(FakeBucket.unversioned(10_000));
    for (let i = 0; i < 1000; i++)
      fake.failKey(`key-${String(i).padStart(7, "0")}`, "null", "AccessDenied", "AccessDenied");
    serve(fake);

    await expect(emptyBucket(client, "b", { concurrency: 1 })).rejects.toMatchObject({ kind: "access-denied" });
    expect(s3.commandCalls(ListObjectVersionsCommand).length).toBeLessThan(10);
  });

  it("throws NotFound when the bucket is already gone (a second run)", async () => {
    s3.on(ListMultipartUploadsCommand).rejects(s3Error("NoSuchBucket", 404, "The specified bucket does not exist"));

    await expect(emptyBucket(client, "b")).rejects.toMatchObject({ kind: "not-found" });
  });

  it("classifies a throttled DeleteObjects call and lets the running batches settle first", async () => {
    const fake = new FakeBucket(FakeBucket.unversioned(3000));
    serve(fake);
    s3.on(DeleteObjectsCommand)
      .callsFakeOnce((input) => fake.deleteObjects(input))
      .rejectsOnce(s3Error("SlowDown", 503, "Please reduce your request rate."))
      .callsFake((input) => fake.deleteObjects(input));

    await expect(emptyBucket(client, "b")).rejects.toMatchObject({ kind: "throttled" });
  });

  it("reports progress as objects are deleted", async () => {
    const fake = new FakeBucket(FakeBucket.unversioned(2500));
    serve(fake);
    const messages: string[] = [];

    await emptyBucket(client, "b", {}, (m) => messages.push(m));

    expect(messages).toHaveLength(3);
    expect(messages.at(-1)).toBe("2,500 objects deleted");
  });
});
