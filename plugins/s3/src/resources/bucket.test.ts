import {
  AbortMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  GetObjectLockConfigurationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { s3Error } from "../testing/fake-bucket.js";
import { bucket, regionOfLocation, type BucketOptions } from "./bucket.js";

const s3 = mockClient(S3Client);
const created = new Date("2024-03-01T10:00:00.000Z");

function context(options: Record<string, unknown> = {}, region = "us-east-1") {
  return testContext<BucketOptions>({ resource: bucket, options, region });
}

/** Nothing in the bucket: both listings empty. */
function emptyListings(): void {
  s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false });
  s3.on(ListMultipartUploadsCommand).resolves({ IsTruncated: false });
}

beforeEach(() => {
  s3.reset();
});

describe("s3.bucket discover", () => {
  it("follows every ListBuckets page, asking only for the context's region", async () => {
    s3.on(ListBucketsCommand)
      .resolvesOnce({
        Buckets: [
          { Name: "student-uploads", BucketRegion: "ap-southeast-1", CreationDate: created },
          { Name: "student-eu", BucketRegion: "eu-west-1", CreationDate: created },
        ],
        ContinuationToken: "page-2",
      })
      .resolvesOnce({
        Buckets: [
          {
            Name: "student-assets",
            BucketRegion: "ap-southeast-1",
            BucketArn: "arn:aws:s3:::student-assets",
            CreationDate: created,
          },
        ],
      });

    const found = await collect(bucket.discover(context({}, "ap-southeast-1"), {}));

    expect(found).toEqual([
      {
        id: "student-uploads",
        name: "student-uploads",
        arn: "arn:aws:s3:::student-uploads",
        region: "ap-southeast-1",
        createdAt: "2024-03-01T10:00:00.000Z",
      },
      {
        id: "student-assets",
        name: "student-assets",
        arn: "arn:aws:s3:::student-assets",
        region: "ap-southeast-1",
        createdAt: "2024-03-01T10:00:00.000Z",
      },
    ]);
    expect(s3).toHaveReceivedCommandTimes(ListBucketsCommand, 2);
    expect(s3).toHaveReceivedNthCommandWith(ListBucketsCommand, 1, { BucketRegion: "ap-southeast-1" });
    expect(s3).toHaveReceivedNthCommandWith(ListBucketsCommand, 2, {
      BucketRegion: "ap-southeast-1",
      ContinuationToken: "page-2",
    });
    expect(s3).not.toHaveReceivedCommand(GetBucketLocationCommand);
  });

  it("pushes the engine's prefix hint down to ListBuckets", async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [] });

    await collect(bucket.discover(context(), { prefix: "student-" }));
    await collect(bucket.discover(context(), { names: ["a-bucket", "other"] }));

    const inputs = s3.commandCalls(ListBucketsCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([{ BucketRegion: "us-east-1", Prefix: "student-" }, { BucketRegion: "us-east-1" }]);
  });

  it("asks GetBucketLocation where the listing has no region, and keeps only this region's buckets", async () => {
    s3.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: "in-virginia", CreationDate: created },
        { Name: "in-ireland", CreationDate: created },
        { Name: "deleted-meanwhile", CreationDate: created },
      ],
    });
    s3.on(GetBucketLocationCommand, { Bucket: "in-virginia" }).resolves({});
    s3.on(GetBucketLocationCommand, { Bucket: "in-ireland" }).resolves({ LocationConstraint: "EU" });
    s3.on(GetBucketLocationCommand, { Bucket: "deleted-meanwhile" }).rejects(s3Error("NoSuchBucket", 404));

    const inVirginia = await collect(bucket.discover(context({}, "us-east-1"), {}));
    const inIreland = await collect(bucket.discover(context({}, "eu-west-1"), {}));

    expect(inVirginia.map((f) => [f.name, f.region])).toEqual([["in-virginia", "us-east-1"]]);
    expect(inIreland.map((f) => [f.name, f.region])).toEqual([["in-ireland", "eu-west-1"]]);
  });

  it("maps GetBucketLocation's legacy answers onto region codes", () => {
    expect(regionOfLocation(undefined)).toBe("us-east-1");
    expect(regionOfLocation("")).toBe("us-east-1");
    expect(regionOfLocation("EU")).toBe("eu-west-1");
    expect(regionOfLocation("ap-southeast-1")).toBe("ap-southeast-1");
  });

  it("classifies a denied ListBuckets", async () => {
    s3.on(ListBucketsCommand).rejects(
      s3Error("AccessDenied", 403, "User is not authorized to perform: s3:ListAllMyBuckets"),
    );

    await expect(collect(bucket.discover(context(), {}))).rejects.toMatchObject({
      kind: "access-denied",
      action: "s3:ListAllMyBuckets",
    });
  });
});

describe("s3.bucket readTags", () => {
  it("reads the tag set with a client of the bucket's region", async () => {
    s3.on(GetBucketTaggingCommand).resolves({ TagSet: [{ Key: "workshop", Value: "student-system" }] });
    const ctx = context({}, "eu-west-1");
    const client = vi.spyOn(ctx, "client");

    const tags = await bucket.readTags!(ctx, { id: "b", name: "b", region: "eu-west-1" });

    expect(tags).toEqual({ workshop: "student-system" });
    expect(client).toHaveBeenCalledWith(S3Client, "eu-west-1");
    expect(s3).toHaveReceivedCommandWith(GetBucketTaggingCommand, { Bucket: "b" });
  });

  it("reads NoSuchTagSet as no tags", async () => {
    s3.on(GetBucketTaggingCommand).rejects(s3Error("NoSuchTagSet", 404, "The TagSet does not exist"));

    await expect(bucket.readTags!(context(), { id: "b", name: "b" })).resolves.toEqual({});
  });
});

describe("s3.bucket describe", () => {
  it("counts objects, noncurrent versions, delete markers and uploads", async () => {
    s3.on(GetObjectLockConfigurationCommand).rejects(
      s3Error("ObjectLockConfigurationNotFoundError", 404, "Object Lock configuration does not exist for this bucket"),
    );
    s3.on(ListObjectVersionsCommand).resolves({
      IsTruncated: false,
      Versions: [
        { Key: "a", VersionId: "2", IsLatest: true },
        { Key: "a", VersionId: "1", IsLatest: false },
        { Key: "b", VersionId: "1", IsLatest: false },
        { Key: "c", VersionId: "null", IsLatest: true },
      ],
      DeleteMarkers: [{ Key: "b", VersionId: "2", IsLatest: true }],
    });
    s3.on(ListMultipartUploadsCommand).resolves({ IsTruncated: false, Uploads: [{ Key: "big", UploadId: "u1" }] });

    const described = await bucket.describe!(context(), { id: "b", name: "b", region: "us-east-1" });

    expect(described.children).toEqual([
      { kind: "objects", count: 2 },
      { kind: "noncurrent versions", count: 2 },
      { kind: "delete markers", count: 1 },
      { kind: "incomplete multipart uploads", count: 1 },
    ]);
    expect(described.protectedReason).toBeUndefined();
    expect(described.details).toEqual({ objectLockEnabled: false });
    expect(described.notes).toBeUndefined();
    expect(s3).toHaveReceivedCommandWith(ListObjectVersionsCommand, { Bucket: "b", MaxKeys: 1000 });
  });

  it("reads one page only of a large bucket and says the count is a floor", async () => {
    s3.on(GetObjectLockConfigurationCommand).rejects(s3Error("ObjectLockConfigurationNotFoundError", 404));
    s3.on(ListObjectVersionsCommand).resolves({
      IsTruncated: true,
      NextKeyMarker: "k999",
      Versions: Array.from({ length: 1000 }, (_, i) => ({ Key: `k${i}`, VersionId: "null", IsLatest: true })),
    });
    s3.on(ListMultipartUploadsCommand).resolves({ IsTruncated: false });

    const described = await bucket.describe!(context(), { id: "b", name: "b" });

    expect(described.children).toEqual([{ kind: "objects", note: "1000+" }]);
    expect(described.notes).toEqual(["counted the first 1000 entries of each listing only; emptying lists them all"]);
    expect(s3).toHaveReceivedCommandTimes(ListObjectVersionsCommand, 1);
  });

  it("marks a bucket with Object Lock protected unless bypassGovernanceRetention is set", async () => {
    s3.on(GetObjectLockConfigurationCommand).resolves({
      ObjectLockConfiguration: {
        ObjectLockEnabled: "Enabled",
        Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 30 } },
      },
    });
    emptyListings();

    const locked = await bucket.describe!(context(), { id: "b", name: "b" });
    const bypassed = await bucket.describe!(context({ bypassGovernanceRetention: true }), { id: "b", name: "b" });

    expect(locked.protectedReason).toMatch(/Object Lock is enabled \(default retention: GOVERNANCE for 30 days\)/);
    expect(locked.protectedReason).toMatch(/options\.bypassGovernanceRetention: true/);
    expect(bypassed.protectedReason).toBeUndefined();
    expect(bypassed.details).toEqual({ objectLockEnabled: true });
    expect(bypassed.notes?.[0]).toMatch(/compliance-mode retention or a legal hold makes the delete fail/);
  });

  it("reads Object Lock and the listings with the bucket's region client", async () => {
    s3.on(GetObjectLockConfigurationCommand).rejects(s3Error("ObjectLockConfigurationNotFoundError", 404));
    emptyListings();
    const ctx = context({}, "us-east-1");
    const client = vi.spyOn(ctx, "client");

    const described = await bucket.describe!(ctx, { id: "b", name: "b", region: "ap-southeast-1" });

    expect(client.mock.calls).toEqual([[S3Client, "ap-southeast-1"]]);
    expect(described.children).toEqual([]);
  });
});

describe("s3.bucket delete", () => {
  it("aborts uploads, deletes every version, then the bucket, in that order", async () => {
    s3.on(ListMultipartUploadsCommand).resolves({ IsTruncated: false, Uploads: [{ Key: "big", UploadId: "u1" }] });
    s3.on(AbortMultipartUploadCommand).resolves({});
    s3.on(ListObjectVersionsCommand).resolves({
      IsTruncated: false,
      Versions: [{ Key: "a", VersionId: "1" }],
      DeleteMarkers: [{ Key: "a", VersionId: "2" }],
    });
    s3.on(DeleteObjectsCommand).resolves({});
    s3.on(DeleteBucketCommand).resolves({});
    const ctx = context();

    await bucket.delete(ctx, { id: "b", name: "b", details: { objectLockEnabled: false } });

    expect(s3.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "ListMultipartUploadsCommand",
      "AbortMultipartUploadCommand",
      "ListObjectVersionsCommand",
      "DeleteObjectsCommand",
      "DeleteBucketCommand",
    ]);
    expect(s3).toHaveReceivedCommandWith(AbortMultipartUploadCommand, { Bucket: "b", Key: "big", UploadId: "u1" });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectsCommand, {
      Bucket: "b",
      Delete: {
        Objects: [
          { Key: "a", VersionId: "1" },
          { Key: "a", VersionId: "2" },
        ],
        Quiet: true,
      },
    });
    expect(ctx.progressMessages).toEqual(["2 objects deleted"]);
  });

  it("deletes an empty bucket with three calls", async () => {
    emptyListings();
    s3.on(DeleteBucketCommand).resolves({});

    await bucket.delete(context(), { id: "b", name: "b" });

    expect(s3.calls()).toHaveLength(3);
    expect(s3).not.toHaveReceivedCommand(DeleteObjectsCommand);
  });

  it("sends BypassGovernanceRetention only for an Object Lock bucket with the option on", async () => {
    s3.on(ListMultipartUploadsCommand).resolves({ IsTruncated: false });
    s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false, Versions: [{ Key: "a", VersionId: "1" }] });
    s3.on(DeleteObjectsCommand).resolves({});
    s3.on(DeleteBucketCommand).resolves({});

    await bucket.delete(context({ bypassGovernanceRetention: true }), {
      id: "locked",
      name: "locked",
      details: { objectLockEnabled: true },
    });
    await bucket.delete(context({ bypassGovernanceRetention: true }), {
      id: "plain",
      name: "plain",
      details: { objectLockEnabled: false },
    });

    const sent = s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input);
    expect(sent[0]).toMatchObject({ Bucket: "locked", BypassGovernanceRetention: true });
    expect(sent[1]?.Bucket).toBe("plain");
    expect(sent[1]?.BypassGovernanceRetention).toBeUndefined();
  });

  it("fails as Protected when versions under compliance retention or legal hold stay", async () => {
    s3.on(ListMultipartUploadsCommand).resolves({ IsTruncated: false });
    s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false, Versions: [{ Key: "held", VersionId: "1" }] });
    s3.on(DeleteObjectsCommand).resolves({
      Errors: [
        {
          Key: "held",
          VersionId: "1",
          Code: "AccessDenied",
          Message: "Access Denied because object protected by object lock.",
        },
      ],
    });

    await expect(
      bucket.delete(context({ bypassGovernanceRetention: true }), {
        id: "b",
        name: "b",
        details: { objectLockEnabled: true },
      }),
    ).rejects.toMatchObject({ kind: "protected", message: expect.stringMatching(/held \(version 1\): AccessDenied/) });
    expect(s3).toHaveReceivedCommandTimes(DeleteObjectsCommand, 2);
    expect(s3).not.toHaveReceivedCommand(DeleteBucketCommand);
  });

  it("turns BucketNotEmpty (objects written meanwhile) into DependencyPending", async () => {
    emptyListings();
    s3.on(DeleteBucketCommand).rejects(s3Error("BucketNotEmpty", 409, "The bucket you tried to delete is not empty"));

    await expect(bucket.delete(context(), { id: "b", name: "b" })).rejects.toMatchObject({
      kind: "dependency-pending",
      message: expect.stringMatching(/objects were written while it was emptied/),
    });
  });

  it("throws NotFound on a second run, when the bucket is already gone", async () => {
    s3.on(ListMultipartUploadsCommand).rejects(s3Error("NoSuchBucket", 404, "The specified bucket does not exist"));

    await expect(bucket.delete(context(), { id: "b", name: "b" })).rejects.toMatchObject({ kind: "not-found" });
    expect(s3).not.toHaveReceivedCommand(DeleteBucketCommand);
  });

  it("throws NotFound when the bucket vanishes between emptying and DeleteBucket", async () => {
    emptyListings();
    s3.on(DeleteBucketCommand).rejects(s3Error("NoSuchBucket", 404));

    await expect(bucket.delete(context(), { id: "b", name: "b" })).rejects.toMatchObject({ kind: "not-found" });
  });

  it("classifies throttling on the listing", async () => {
    s3.on(ListMultipartUploadsCommand).resolves({ IsTruncated: false });
    s3.on(ListObjectVersionsCommand).rejects(s3Error("SlowDown", 503, "Please reduce your request rate."));

    await expect(bucket.delete(context(), { id: "b", name: "b" })).rejects.toMatchObject({ kind: "throttled" });
  });

  it("deletes with a client of the bucket's region", async () => {
    emptyListings();
    s3.on(DeleteBucketCommand).resolves({});
    const ctx = context({}, "us-east-1");
    const client = vi.spyOn(ctx, "client");

    await bucket.delete(ctx, { id: "b", name: "b", region: "ap-southeast-1" });

    expect(client.mock.calls).toEqual([[S3Client, "ap-southeast-1"]]);
  });
});

describe("s3.bucket verify", () => {
  it("says present while HeadBucket answers", async () => {
    s3.on(HeadBucketCommand).resolves({});

    await expect(bucket.verify(context(), { id: "b", name: "b" })).resolves.toBe("present");
  });

  it("says gone on NotFound (HeadBucket has no body: a bare 404)", async () => {
    s3.on(HeadBucketCommand).rejects(s3Error("NotFound", 404, "UnknownError"));

    await expect(bucket.verify(context(), { id: "b", name: "b" })).resolves.toBe("gone");
  });

  it("throws a classified error on anything else", async () => {
    s3.on(HeadBucketCommand).rejects(s3Error("Forbidden", 403));

    await expect(bucket.verify(context(), { id: "b", name: "b" })).rejects.toMatchObject({ kind: "access-denied" });
  });
});
