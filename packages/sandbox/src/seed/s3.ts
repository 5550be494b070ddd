import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  HeadBucketCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  type BucketLocationConstraint,
} from "@aws-sdk/client-s3";
import { clientConfig, seeded, type SeedResult, type SeedTarget } from "./types.js";

/**
 * Seeds the workshop's S3 footprint: `${prefix}-uploads` (versioned: a few
 * student photos, an overwritten one with two versions, a deleted one that
 * left a delete marker, and an incomplete multipart upload) and
 * `${prefix}-frontend-assets` (the built web app, unversioned). Decoy:
 * `other-project-data`, which no entry's prefix or name selects.
 */
export async function seedS3(target: SeedTarget, prefix: string): Promise<SeedResult> {
  const s3 = new S3Client(clientConfig(target));

  async function createBucket(name: string): Promise<void> {
    // us-east-1 takes no location constraint; every other region needs one.
    const location = target.region === "us-east-1" ? undefined : (target.region as BucketLocationConstraint);
    await s3.send(
      new CreateBucketCommand({
        Bucket: name,
        ...(location ? { CreateBucketConfiguration: { LocationConstraint: location } } : {}),
      }),
    );
    await s3.send(
      new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: "project", Value: name }] } }),
    );
  }
  async function put(bucket: string, key: string, body: string): Promise<void> {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  }

  const uploads = `${prefix}-uploads`;
  await createBucket(uploads);
  await s3.send(new PutBucketVersioningCommand({ Bucket: uploads, VersioningConfiguration: { Status: "Enabled" } }));
  for (const student of ["s001", "s002", "s003"]) await put(uploads, `photos/${student}.jpg`, `photo of ${student}`);
  await put(uploads, "photos/s002.jpg", "a newer photo of s002");
  await s3.send(new DeleteObjectCommand({ Bucket: uploads, Key: "photos/s003.jpg" }));
  await s3.send(new CreateMultipartUploadCommand({ Bucket: uploads, Key: "videos/lecture-1.mp4" }));

  const assets = `${prefix}-frontend-assets`;
  await createBucket(assets);
  await put(assets, "index.html", "<!doctype html><title>Student Management</title>");
  await put(assets, "assets/app.js", "console.log('students');");

  const decoy = "other-project-data";
  await createBucket(decoy);
  await put(decoy, "report.csv", "id,total\n1,42\n");

  const bucket = (name: string) => seeded(`s3.bucket ${name}`, () => s3.send(new HeadBucketCommand({ Bucket: name })));

  return { selected: [bucket(uploads), bucket(assets)], decoys: [bucket(decoy)] };
}
