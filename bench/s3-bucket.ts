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
} from "@aws-sdk/client-s3";
import { VirtualClock } from "@cleanup-runner/core";
import s3 from "@cleanup-runner/plugin-s3";
import { mockClient } from "aws-sdk-client-mock";
import { againstBound, awsError, benchManifest, overMinimum, printFigures, runEngine } from "./harness.js";

const key = (i: number) => `objects/${String(i).padStart(9, "0")}`;

/**
 * Empties one simulated bucket of `objects` versions through the real engine
 * and the real s3.bucket type. The fake answers by AWS's paging rules without
 * holding a listing (keys are derived from their index), so the peak RSS is
 * the runner's own.
 */
export async function benchBucket(objects: number, latencyMs: number): Promise<void> {
  const clock = new VirtualClock();
  const wait = () => clock.sleep(latencyMs);
  const mock = mockClient(S3Client);
  let bucketDeleted = false;
  let deleted = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  mock.on(ListBucketsCommand).callsFake(async () => {
    await wait();
    return { Buckets: [{ Name: "bench-bucket", CreationDate: new Date(0), BucketRegion: "us-east-1" }] };
  });
  mock.on(GetBucketLocationCommand).callsFake(async () => (await wait(), {}));
  mock.on(GetObjectLockConfigurationCommand).callsFake(async () => {
    await wait();
    throw awsError("ObjectLockConfigurationNotFoundError", 404);
  });
  mock.on(ListMultipartUploadsCommand).callsFake(async () => (await wait(), { Uploads: [], IsTruncated: false }));
  mock.on(ListObjectVersionsCommand).callsFake(async (input: { KeyMarker?: string; MaxKeys?: number }) => {
    await wait();
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
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    await wait();
    inFlight--;
    deleted += input.Delete.Objects.length;
    return { Deleted: [], Errors: [] };
  });
  mock.on(DeleteBucketCommand).callsFake(async () => (await wait(), (bucketDeleted = true), {}));
  mock.on(HeadBucketCommand).callsFake(async () => {
    await wait();
    if (bucketDeleted) throw awsError("NotFound", 404);
    return {};
  });

  const measured = await runEngine([s3], benchManifest([{ type: "s3.bucket", names: ["bench-bucket"] }]), clock);
  mock.restore();
  const s3Calls = measured.calls.S3 ?? {};
  const pages = Math.ceil(objects / 1000);
  // The least any tool can do: list every page, one DeleteObjects per 1,000 keys, DeleteBucket.
  const minimum = 2 * pages + 1;
  const emptying = (s3Calls.ListObjectVersions ?? 0) + (s3Calls.DeleteObjects ?? 0) + (s3Calls.DeleteBucket ?? 0);
  // Listing is sequential (each page needs the last marker) and deletes overlap it, so the floor is every
  // page, then the last batch's delete, DeleteBucket and a verifying read.
  const bound = (pages + 3) * latencyMs;
  printFigures(`s3.bucket: empty and delete ${objects.toLocaleString("en-US")} objects, ${latencyMs} ms per call`, [
    ["objects deleted", deleted.toLocaleString("en-US")],
    ["emptying calls / minimum", overMinimum(emptying, minimum)],
    [
      "all S3 calls",
      `${Object.values(s3Calls).reduce((a, b) => a + b, 0)} (${Object.entries(s3Calls)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")})`,
    ],
    ["wall time / latency bound", againstBound(measured.simulatedMs, bound)],
    ["DeleteObjects in flight (max)", String(maxInFlight)],
    ["peak RSS", `${measured.peakRssMb.toFixed(0)} MB`],
    [
      "heap after full GCs (max)",
      measured.liveHeapMb === undefined ? "no full GC ran" : `${measured.liveHeapMb.toFixed(0)} MB`,
    ],
    ["real time of the simulation", `${(measured.realMs / 1000).toFixed(1)} s`],
    ["outcome", JSON.stringify(measured.outcomes)],
  ]);
}
