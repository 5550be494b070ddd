import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectLockConfigurationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import s3 from "@cleanup-runner/plugin-s3";
import { mockClient } from "aws-sdk-client-mock";
import { benchManifest, latency, printFigures, runEngine } from "./harness.js";

const key = (i: number) => `objects/${String(i).padStart(9, "0")}`;

/**
 * Empties one simulated bucket of `objects` versions through the real engine
 * and the real s3.bucket type; the fake answers by AWS's paging rules
 * without holding the listing (keys are derived from their index).
 */
export async function benchBucket(objects: number, latencyMs: number): Promise<void> {
  const mock = mockClient(S3Client);
  let deletedBucket = false;
  let deleted = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  mock.on(ListBucketsCommand).callsFake(async () => {
    await latency(latencyMs);
    return { Buckets: [{ Name: "bench-bucket", CreationDate: new Date(0), BucketRegion: "us-east-1" }] };
  });
  mock
    .on(GetBucketLocationCommand)
    .callsFake(async () => (await latency(latencyMs), { LocationConstraint: undefined }));
  mock.on(GetObjectLockConfigurationCommand).callsFake(async () => {
    await latency(latencyMs);
    throw new S3ServiceException({
      name: "ObjectLockConfigurationNotFoundError",
      $fault: "client",
      $metadata: { httpStatusCode: 404 },
      message: "none",
    });
  });
  mock
    .on(ListMultipartUploadsCommand)
    .callsFake(async () => (await latency(latencyMs), { Uploads: [], IsTruncated: false }));
  mock.on(ListObjectVersionsCommand).callsFake(async (input: { KeyMarker?: string; MaxKeys?: number }) => {
    await latency(latencyMs);
    const start = input.KeyMarker ? Number(input.KeyMarker.split("/")[1]) + 1 : 0;
    const end = Math.min(objects, start + (input.MaxKeys ?? 1000));
    const Versions = [];
    for (let i = start; i < end; i++) Versions.push({ Key: key(i), VersionId: "null", IsLatest: true });
    const truncated = end < objects;
    return {
      Versions,
      IsTruncated: truncated,
      ...(truncated ? { NextKeyMarker: key(end - 1), NextVersionIdMarker: "null" } : {}),
    };
  });
  mock.on(DeleteObjectsCommand).callsFake(async (input: { Delete: { Objects: unknown[] } }) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await latency(latencyMs);
    inFlight--;
    deleted += input.Delete.Objects.length;
    return { Deleted: [], Errors: [] };
  });
  mock.on(DeleteBucketCommand).callsFake(async () => (await latency(latencyMs), (deletedBucket = true), {}));
  mock.on(HeadBucketCommand).callsFake(async () => {
    await latency(latencyMs);
    if (deletedBucket)
      throw new S3ServiceException({
        name: "NotFound",
        $fault: "client",
        $metadata: { httpStatusCode: 404 },
        message: "gone",
      });
    return {};
  });

  const measured = await runEngine([s3], benchManifest([{ type: "s3.bucket", names: ["bench-bucket"] }]));
  mock.restore();
  const s3Calls = measured.calls.S3 ?? {};
  const pages = Math.ceil(objects / 1000);
  // The least any tool can do: list every page, one DeleteObjects per 1,000 keys, DeleteBucket.
  const minimumEmptying = pages + pages + 1;
  const emptying = (s3Calls.ListObjectVersions ?? 0) + (s3Calls.DeleteObjects ?? 0) + (s3Calls.DeleteBucket ?? 0);
  // Listing is sequential (each page needs the last marker); deletes overlap it: the floor is the pages plus the last delete and DeleteBucket.
  const minimumWall = (pages + 2) * latencyMs;
  printFigures(`s3.bucket: empty and delete ${objects.toLocaleString("en-US")} objects, ${latencyMs} ms per call`, [
    ["objects deleted", deleted.toLocaleString("en-US")],
    [
      "emptying calls / minimum",
      `${emptying} / ${minimumEmptying} (+${((emptying / minimumEmptying - 1) * 100).toFixed(1)}%)`,
    ],
    [
      "all S3 calls",
      `${measured.totalCalls} (${Object.entries(s3Calls)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")})`,
    ],
    [
      "wall time / latency bound",
      `${(measured.wallMs / 1000).toFixed(2)} s / ${(minimumWall / 1000).toFixed(2)} s (x${(measured.wallMs / minimumWall).toFixed(2)})`,
    ],
    ["DeleteObjects in flight (max)", String(maxInFlight)],
    ["peak RSS", `${measured.peakRssMb.toFixed(0)} MB`],
    ["outcome", JSON.stringify(measured.outcomes)],
  ]);
}
