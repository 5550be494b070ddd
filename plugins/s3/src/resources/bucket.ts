import {
  DeleteBucketCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  GetObjectLockConfigurationCommand,
  HeadBucketCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  S3Client,
  paginateListBuckets,
  type ObjectLockConfiguration,
} from "@aws-sdk/client-s3";
import {
  classifiedCall,
  classifiedPages,
  classifyAwsError,
  defineResource,
  DependencyPendingError,
  readOrUndefined,
  tagRecord,
  Type,
  type Child,
  type DiscoveryHints,
  type Found,
  type ResourceContext,
  type Static,
} from "@cleanup-runner/plugin-kit";
import { MAX_KEYS_PER_CALL, emptyBucket } from "../empty-bucket.js";

const options = Type.Object({
  bypassGovernanceRetention: Type.Boolean({
    default: false,
    description:
      "Delete buckets that have Object Lock enabled, bypassing governance-mode retention " +
      "(sends BypassGovernanceRetention; needs s3:BypassGovernanceRetention). Versions under " +
      "compliance-mode retention or a legal hold can never be deleted early: the bucket then fails.",
  }),
});

/** The options of an `s3.bucket` entry, defaults applied. */
export type BucketOptions = Static<typeof options>;

type Context = ResourceContext<BucketOptions>;

/** What describe leaves in `found.details` for delete (frozen in the plan as JSON). */
interface BucketDetails {
  /** Whether the bucket has Object Lock enabled. */
  objectLockEnabled: boolean;
}

/** The client for the region the bucket lives in. */
function clientFor(ctx: Context, found: Found): S3Client {
  return ctx.client(S3Client, found.region ?? ctx.region);
}

/** GetBucketLocation's answer as a region code: null or "" is us-east-1, "EU" the old name of eu-west-1. */
export function regionOfLocation(location: string | undefined): string {
  if (!location) return "us-east-1";
  if (location === "EU") return "eu-west-1";
  return location;
}

/**
 * ListBuckets is global: it lists the account's buckets of every region. The
 * engine calls discover once per target region, and a bucket must be planned
 * once, in the region it lives in, so the listing asks S3 for the buckets of
 * `ctx.region` only (`BucketRegion`, sent to that region's endpoint) and
 * checks each answer's region; where the response does not carry it (older
 * S3-compatible servers), GetBucketLocation tells.
 */
async function* discoverBuckets(ctx: Context, hints: DiscoveryHints): AsyncGenerator<Found> {
  const client = ctx.client(S3Client);
  const prefix = hints.prefix;
  const input = { BucketRegion: ctx.region, ...(prefix ? { Prefix: prefix } : {}) };
  for await (const page of classifiedPages("ListBuckets", paginateListBuckets({ client }, input))) {
    for (const { Name, BucketRegion, BucketArn, CreationDate } of page.Buckets ?? []) {
      if (!Name) continue;
      const region = BucketRegion ?? (await locateBucket(client, Name));
      if (region !== ctx.region) continue;
      yield {
        id: Name,
        name: Name,
        arn: BucketArn ?? `arn:${ctx.partition}:s3:::${Name}`,
        region,
        ...(CreationDate ? { createdAt: CreationDate.toISOString() } : {}),
      };
    }
  }
}

/** The bucket's region, or undefined when it was deleted since it was listed. */
async function locateBucket(client: S3Client, bucket: string): Promise<string | undefined> {
  const location = await readOrUndefined(
    () => client.send(new GetBucketLocationCommand({ Bucket: bucket })),
    `GetBucketLocation ${bucket}`,
  );
  return location && regionOfLocation(location.LocationConstraint);
}

async function readBucketTags(ctx: Context, found: Found): Promise<Record<string, string>> {
  try {
    const { TagSet } = await clientFor(ctx, found).send(new GetBucketTaggingCommand({ Bucket: found.id }));
    return tagRecord(TagSet);
  } catch (error) {
    if ((error as { name?: string }).name === "NoSuchTagSet") return {};
    throw classifyAwsError(error, `GetBucketTagging ${found.id}`);
  }
}

async function readObjectLock(client: S3Client, bucket: string): Promise<ObjectLockConfiguration | undefined> {
  try {
    const { ObjectLockConfiguration } = await client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    return ObjectLockConfiguration;
  } catch (error) {
    if ((error as { name?: string }).name === "ObjectLockConfigurationNotFoundError") return undefined;
    throw classifyAwsError(error, `GetObjectLockConfiguration ${bucket}`);
  }
}

/** A child count that stops at one listing page: `1000+` when the page was truncated. */
function countedChild(kind: string, count: number, truncated: boolean): Child | undefined {
  if (count === 0) return undefined;
  return truncated ? { kind, note: `${count}+` } : { kind, count };
}

/**
 * Reads Object Lock and counts what the bucket holds, from the first page of
 * each listing only: counting a bucket of millions of objects would cost a
 * full listing, which delete pays for anyway.
 */
async function describeBucket(ctx: Context, found: Found): Promise<Found> {
  const client = clientFor(ctx, found);
  const bucket = found.id;
  const [lock, versions, uploads] = await Promise.all([
    readObjectLock(client, bucket),
    classifiedCall(`ListObjectVersions ${bucket}`, () =>
      client.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: MAX_KEYS_PER_CALL })),
    ),
    classifiedCall(`ListMultipartUploads ${bucket}`, () =>
      client.send(new ListMultipartUploadsCommand({ Bucket: bucket, MaxUploads: MAX_KEYS_PER_CALL })),
    ),
  ]);
  const listed = versions.Versions ?? [];
  const listingTruncated = versions.IsTruncated === true;
  const children = [
    countedChild("objects", listed.filter((v) => v.IsLatest).length, listingTruncated),
    countedChild("noncurrent versions", listed.filter((v) => !v.IsLatest).length, listingTruncated),
    countedChild("delete markers", (versions.DeleteMarkers ?? []).length, listingTruncated),
    countedChild("incomplete multipart uploads", (uploads.Uploads ?? []).length, uploads.IsTruncated === true),
  ].filter((child): child is Child => child !== undefined);

  const notes: string[] = [];
  if (listingTruncated || uploads.IsTruncated) {
    notes.push(`counted the first ${MAX_KEYS_PER_CALL} entries of each listing only; emptying lists them all`);
  }
  const objectLockEnabled = lock?.ObjectLockEnabled === "Enabled";
  const retention = lock?.Rule?.DefaultRetention;
  const retentionWords = retention
    ? ` (default retention: ${retention.Mode} for ${retention.Days ? `${retention.Days} days` : `${retention.Years} years`})`
    : "";
  let protectedReason: string | undefined;
  if (objectLockEnabled && !ctx.options.bypassGovernanceRetention) {
    protectedReason =
      `Object Lock is enabled${retentionWords}: set options.bypassGovernanceRetention: true to delete versions ` +
      `under governance-mode retention (compliance-mode retention and legal holds can never be bypassed)`;
  } else if (objectLockEnabled) {
    notes.push(
      `Object Lock is enabled${retentionWords}: governance-mode retention is bypassed; a version under ` +
        `compliance-mode retention or a legal hold makes the delete fail until it ends`,
    );
  }
  const details: BucketDetails = { objectLockEnabled };
  return {
    ...found,
    details: { ...found.details, ...details },
    children,
    ...(notes.length > 0 ? { notes } : {}),
    ...(protectedReason ? { protectedReason } : {}),
  };
}

/** Empties the bucket (see emptyBucket), then deletes it. */
async function deleteBucket(ctx: Context, found: Found): Promise<void> {
  const client = clientFor(ctx, found);
  const objectLockEnabled = found.details?.objectLockEnabled === true;
  await emptyBucket(
    client,
    found.id,
    { objectLockEnabled, bypassGovernanceRetention: objectLockEnabled && ctx.options.bypassGovernanceRetention },
    (message) => ctx.progress(message),
  );
  try {
    await client.send(new DeleteBucketCommand({ Bucket: found.id }));
  } catch (error) {
    if ((error as { name?: string }).name === "BucketNotEmpty") {
      // Something wrote to the bucket while it was being emptied: the engine runs delete again.
      throw new DependencyPendingError(`DeleteBucket ${found.id}: objects were written while it was emptied`, {
        cause: error,
      });
    }
    throw classifyAwsError(error, `DeleteBucket ${found.id}`);
  }
}

async function verifyBucket(ctx: Context, found: Found): Promise<"gone" | "present"> {
  const head = await readOrUndefined(
    () => clientFor(ctx, found).send(new HeadBucketCommand({ Bucket: found.id })),
    `HeadBucket ${found.id}`,
  );
  return head ? "present" : "gone";
}

/** An S3 general purpose bucket, with every object version, delete marker and incomplete upload it holds. */
export const bucket = defineResource({
  type: "s3.bucket",
  description:
    "An S3 general purpose bucket: emptied of every object version, delete marker and incomplete multipart upload, then deleted.",
  scope: "regional",
  options,
  deletesWith: ["object versions", "delete markers", "incomplete multipart uploads"],
  // Emptying a bucket of millions of versions takes a while, even at 8 batches in flight.
  deadlineMs: 60 * 60_000,
  discover: discoverBuckets,
  readTags: readBucketTags,
  describe: describeBucket,
  delete: deleteBucket,
  verify: verifyBucket,
});
