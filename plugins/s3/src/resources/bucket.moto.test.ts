import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { bucket, type BucketOptions } from "./bucket.js";

const moto = useMoto();

function context(options: Record<string, unknown> = {}, region = "us-east-1") {
  return moto.context<BucketOptions>({ resource: bucket, options, region });
}

function s3(region = "us-east-1"): S3Client {
  return moto.client(S3Client, region);
}

async function createBucket(client: S3Client, name: string, region?: BucketLocationConstraint): Promise<void> {
  // us-east-1 takes no location constraint; every other region needs one.
  await client.send(
    new CreateBucketCommand({
      Bucket: name,
      ...(region ? { CreateBucketConfiguration: { LocationConstraint: region } } : {}),
    }),
  );
}

/** Writes `keys` objects, 50 requests at a time. */
async function putObjects(client: S3Client, name: string, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 50) {
    await Promise.all(
      keys.slice(i, i + 50).map((Key) => client.send(new PutObjectCommand({ Bucket: name, Key, Body: Key }))),
    );
  }
}

function keys(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(5, "0")}`);
}

async function bucketNames(client: S3Client): Promise<string[]> {
  const { Buckets } = await client.send(new ListBucketsCommand({}));
  return (Buckets ?? []).map((b) => b.Name ?? "").sort();
}

async function versionCount(client: S3Client, name: string): Promise<number> {
  const page = await client.send(new ListObjectVersionsCommand({ Bucket: name, MaxKeys: 1000 }));
  return (page.Versions ?? []).length + (page.DeleteMarkers ?? []).length;
}

describe("s3.bucket against moto", () => {
  it("empties and deletes a versioned and an unversioned bucket of >1,000 objects, leaving the decoy", async () => {
    const client = s3();
    await createBucket(client, "student-uploads");
    await client.send(
      new PutBucketVersioningCommand({ Bucket: "student-uploads", VersioningConfiguration: { Status: "Enabled" } }),
    );
    await putObjects(client, "student-uploads", keys("photo-", 1100));
    await putObjects(client, "student-uploads", keys("photo-", 40)); // second versions
    for (const Key of keys("photo-", 10))
      await client.send(new DeleteObjectCommand({ Bucket: "student-uploads", Key }));
    await client.send(new CreateMultipartUploadCommand({ Bucket: "student-uploads", Key: "video.mp4" }));

    await createBucket(client, "student-frontend-assets");
    await putObjects(client, "student-frontend-assets", keys("asset-", 1050));

    await createBucket(client, "other-project-data");
    await putObjects(client, "other-project-data", keys("keep-", 5));

    const ctx = context();
    const found = await collect(bucket.discover(ctx, {}));
    expect(found.map((f) => f.name).sort()).toEqual([
      "other-project-data",
      "student-frontend-assets",
      "student-uploads",
    ]);
    const uploads = found.find((f) => f.name === "student-uploads")!;
    const assets = found.find((f) => f.name === "student-frontend-assets")!;
    expect(uploads).toMatchObject({ region: "us-east-1", arn: "arn:aws:s3:::student-uploads" });
    expect(uploads.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const described = await bucket.describe!(ctx, uploads);
    expect(described.protectedReason).toBeUndefined();
    expect(described.children).toContainEqual({ kind: "incomplete multipart uploads", count: 1 });
    // The first page of 1,000 entries holds current objects, older versions and delete markers.
    expect(described.children?.[0]).toEqual({ kind: "objects", note: expect.stringMatching(/^\d+\+$/) });

    await bucket.delete(ctx, described);
    await bucket.delete(ctx, (await bucket.describe!(ctx, assets)) ?? assets);

    expect(await bucket.verify(ctx, uploads)).toBe("gone");
    expect(await bucket.verify(ctx, assets)).toBe("gone");
    expect(await bucketNames(client)).toEqual(["other-project-data"]);
    expect(await versionCount(client, "other-project-data")).toBe(5);
    expect(ctx.progressMessages.at(-1)).toBe("1,050 objects deleted");
    expect(ctx.progressMessages).toContain("1,150 objects deleted"); // 1,140 versions + 10 delete markers
  });

  it("throws NotFound on a second run", async () => {
    const client = s3();
    await createBucket(client, "student-once");
    const ctx = context();
    const [found] = await collect(bucket.discover(ctx, { names: ["student-once"] }));

    await bucket.delete(ctx, found!);

    await expect(bucket.delete(ctx, found!)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("plans a bucket once, in the region it lives in, and deletes it there", async () => {
    await createBucket(s3(), "student-virginia");
    await createBucket(s3("eu-west-1"), "student-ireland", "eu-west-1");
    await putObjects(s3("eu-west-1"), "student-ireland", ["a", "b"]);

    const inVirginia = await collect(bucket.discover(context({}, "us-east-1"), { prefix: "student-" }));
    const irelandCtx = context({}, "eu-west-1");
    const inIreland = await collect(bucket.discover(irelandCtx, { prefix: "student-" }));

    expect(inVirginia.map((f) => [f.name, f.region])).toEqual([["student-virginia", "us-east-1"]]);
    expect(inIreland.map((f) => [f.name, f.region])).toEqual([["student-ireland", "eu-west-1"]]);

    await bucket.delete(irelandCtx, inIreland[0]!);
    expect(await bucket.verify(irelandCtx, inIreland[0]!)).toBe("gone");
    expect(await bucketNames(s3())).toEqual(["student-virginia"]);
  });

  it("reads tags, and no tags as {}", async () => {
    const client = s3();
    await createBucket(client, "tagged");
    await createBucket(client, "untagged");
    await client.send(
      new PutBucketTaggingCommand({
        Bucket: "tagged",
        Tagging: { TagSet: [{ Key: "workshop", Value: "student-system" }] },
      }),
    );
    const ctx = context();

    expect(await bucket.readTags!(ctx, { id: "tagged", name: "tagged" })).toEqual({ workshop: "student-system" });
    expect(await bucket.readTags!(ctx, { id: "untagged", name: "untagged" })).toEqual({});
  });

  it("protects an Object Lock bucket, and fails clearly on a legal hold even with the bypass", async () => {
    const client = s3();
    await client.send(new CreateBucketCommand({ Bucket: "student-locked", ObjectLockEnabledForBucket: true }));
    await putObjects(client, "student-locked", ["free", "held"]);
    await client.send(
      new PutObjectLegalHoldCommand({ Bucket: "student-locked", Key: "held", LegalHold: { Status: "ON" } }),
    );
    const found = { id: "student-locked", name: "student-locked", region: "us-east-1" };

    const planned = await bucket.describe!(context(), found);
    expect(planned.protectedReason).toMatch(/Object Lock is enabled/);

    const bypassCtx = context({ bypassGovernanceRetention: true });
    const bypassing = await bucket.describe!(bypassCtx, found);
    expect(bypassing.protectedReason).toBeUndefined();
    await expect(bucket.delete(bypassCtx, bypassing)).rejects.toMatchObject({
      kind: "protected",
      message: expect.stringMatching(/held \(version [^)]+\): AccessDenied/),
    });
    // The unheld object went; the held one and the bucket stay.
    expect(await versionCount(client, "student-locked")).toBe(1);
    expect(await bucket.verify(bypassCtx, found)).toBe("present");
  });

  it("leaves no incomplete upload behind", async () => {
    const client = s3();
    await createBucket(client, "student-parts");
    await client.send(new CreateMultipartUploadCommand({ Bucket: "student-parts", Key: "a" }));
    await client.send(new CreateMultipartUploadCommand({ Bucket: "student-parts", Key: "b" }));
    const ctx = context();
    const found = { id: "student-parts", name: "student-parts" };

    const described = await bucket.describe!(ctx, found);
    expect(described.children).toEqual([{ kind: "incomplete multipart uploads", count: 2 }]);
    await bucket.delete(ctx, described);

    expect(await bucket.verify(ctx, found)).toBe("gone");
    await expect(client.send(new ListMultipartUploadsCommand({ Bucket: "student-parts" }))).rejects.toMatchObject({
      name: "NoSuchBucket",
    });
  });
});
