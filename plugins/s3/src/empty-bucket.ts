import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  type ListMultipartUploadsCommandOutput,
  type ListObjectVersionsCommandOutput,
  type ObjectIdentifier,
  type S3Client,
  type _Error as DeleteError,
} from "@aws-sdk/client-s3";
import {
  AccessDeniedError,
  FatalError,
  ProtectedError,
  ThrottledError,
  classifiedCall,
  pages,
  removeUnlessGone,
  type ResourceError,
} from "@cleanup-runner/plugin-kit";

/** DeleteObjects takes at most 1,000 keys a call; ListObjectVersions returns at most 1,000 a page. */
export const MAX_KEYS_PER_CALL = 1000;

/** DeleteObjects / AbortMultipartUpload calls in flight at once, unless the caller says otherwise. */
const DEFAULT_CONCURRENCY = 8;

/** Per-key codes that mean the version is already gone: it counts as deleted. */
const alreadyGoneCodes = new Set(["NoSuchKey", "NoSuchVersion"]);

/** Per-key codes that a later attempt may get past. */
const transientCodes = new Set([
  "InternalError",
  "SlowDown",
  "ServiceUnavailable",
  "OperationAborted",
  "RequestTimeout",
]);

/** How many failed keys an error message names. */
const EXAMPLES_NAMED = 5;

/** How to empty a bucket. */
export interface EmptyBucketOptions {
  /**
   * Send `BypassGovernanceRetention` with every DeleteObjects, so versions under
   * Object Lock governance-mode retention go too (needs s3:BypassGovernanceRetention).
   */
  readonly bypassGovernanceRetention?: boolean;
  /** The bucket has Object Lock enabled: a per-key AccessDenied then means retention or a legal hold. */
  readonly objectLockEnabled?: boolean;
  /** Delete / abort calls in flight at once (default {@link DEFAULT_CONCURRENCY}). */
  readonly concurrency?: number;
}

/** What emptying did. */
export interface EmptyBucketResult {
  /** Object versions and delete markers deleted (or found already gone). */
  readonly deleted: number;
  /** Incomplete multipart uploads aborted (or found already gone). */
  readonly uploadsAborted: number;
}

/**
 * Empties a bucket: aborts every incomplete multipart upload, then deletes
 * every object version and delete marker (for an unversioned bucket
 * ListObjectVersions lists each object once, with version id `null`, so one
 * listing serves both kinds of bucket). The listing is streamed page by page
 * and deleted in DeleteObjects batches of up to 1,000 keys with a bounded
 * number in flight, so memory stays flat however large the bucket is and the
 * calls made are the listing pages plus ceil(versions / 1,000) deletes.
 *
 * Keys that a DeleteObjects response reports as failed are retried once; if
 * they fail again the whole call fails with a classified error naming a few
 * of them. Throws classified errors (NotFound when the bucket is gone).
 */
export async function emptyBucket(
  client: S3Client,
  bucket: string,
  options: EmptyBucketOptions = {},
  progress: (message: string) => void = () => {},
): Promise<EmptyBucketResult> {
  const pool = new TaskPool(options.concurrency ?? DEFAULT_CONCURRENCY);
  const uploadsAborted = await abortMultipartUploads(client, bucket, pool);
  const deleted = await deleteAllVersions(client, bucket, options, pool, progress);
  return { deleted, uploadsAborted };
}

async function abortMultipartUploads(client: S3Client, bucket: string, pool: TaskPool): Promise<number> {
  const listing = pages(
    (marker: { KeyMarker: string; UploadIdMarker?: string } | undefined) =>
      classifiedCall(`ListMultipartUploads ${bucket}`, () =>
        client.send(new ListMultipartUploadsCommand({ Bucket: bucket, MaxUploads: MAX_KEYS_PER_CALL, ...marker })),
      ),
    (page: ListMultipartUploadsCommandOutput) =>
      page.IsTruncated && page.NextKeyMarker !== undefined
        ? {
            KeyMarker: page.NextKeyMarker,
            ...(page.NextUploadIdMarker ? { UploadIdMarker: page.NextUploadIdMarker } : {}),
          }
        : undefined,
  );
  let aborted = 0;
  const entries = holdingBackMarker(
    listing,
    (page) => page.Uploads ?? [],
    (upload, page) => upload.Key === page.NextKeyMarker && upload.UploadId === page.NextUploadIdMarker,
  );
  for await (const uploads of entries) {
    for (const { Key, UploadId } of uploads) {
      await pool.run(async () => {
        // NoSuchUpload: completed or aborted meanwhile, which is as good.
        await removeUnlessGone(`AbortMultipartUpload ${bucket}/${Key}`, () =>
          client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId })),
        );
        aborted += 1;
      });
    }
  }
  await pool.drain();
  return aborted;
}

async function deleteAllVersions(
  client: S3Client,
  bucket: string,
  options: EmptyBucketOptions,
  pool: TaskPool,
  progress: (message: string) => void,
): Promise<number> {
  let deleted = 0;
  /** Keys that failed once, waiting for their one retry. */
  let toRetry: DeleteError[] = [];
  /** Keys that failed their retry too; a few are kept for the message. */
  const lost = { count: 0, codes: new Set<string>(), examples: [] as DeleteError[] };

  const deleteBatch = (objects: ObjectIdentifier[], isRetry: boolean) =>
    pool.run(async () => {
      const response = await classifiedCall(`DeleteObjects ${bucket}`, () =>
        client.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: objects, Quiet: true },
            ...(options.bypassGovernanceRetention ? { BypassGovernanceRetention: true } : {}),
          }),
        ),
      );
      const failed = withSentVersions(
        objects,
        (response.Errors ?? []).filter((e) => !alreadyGoneCodes.has(e.Code ?? "")),
      );
      deleted += objects.length - failed.length;
      progress(`${deleted.toLocaleString("en-US")} objects deleted`);
      if (!isRetry) {
        toRetry.push(...failed);
        return;
      }
      lost.count += failed.length;
      for (const e of failed) {
        lost.codes.add(e.Code ?? "unknown");
        if (lost.examples.length < EXAMPLES_NAMED) lost.examples.push(e);
      }
    });
  const retryFailed = async () => {
    const batch = toRetry.map(({ Key, VersionId }) => ({ Key, VersionId }));
    toRetry = [];
    for (let i = 0; i < batch.length; i += MAX_KEYS_PER_CALL) {
      await deleteBatch(batch.slice(i, i + MAX_KEYS_PER_CALL), true);
    }
  };

  const listing = pages(
    (marker: { KeyMarker: string; VersionIdMarker?: string } | undefined) =>
      classifiedCall(`ListObjectVersions ${bucket}`, () =>
        client.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: MAX_KEYS_PER_CALL, ...marker })),
      ),
    (page: ListObjectVersionsCommandOutput) =>
      page.IsTruncated && page.NextKeyMarker !== undefined
        ? {
            KeyMarker: page.NextKeyMarker,
            ...(page.NextVersionIdMarker ? { VersionIdMarker: page.NextVersionIdMarker } : {}),
          }
        : undefined,
  );
  const entries = holdingBackMarker(
    listing,
    (page): ObjectIdentifier[] =>
      [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map(({ Key, VersionId }) => ({ Key, VersionId })),
    (entry, page) => entry.Key === page.NextKeyMarker && entry.VersionId === page.NextVersionIdMarker,
  );
  let batch: ObjectIdentifier[] = [];
  for await (const objects of entries) {
    for (const object of objects) {
      batch.push(object);
      if (batch.length === MAX_KEYS_PER_CALL) {
        await deleteBatch(batch, false);
        batch = [];
      }
    }
    // Retry failed keys as soon as they fill a call, and stop listing once a
    // retry has failed too: the bucket cannot be emptied in this attempt.
    if (toRetry.length >= MAX_KEYS_PER_CALL) await retryFailed();
    if (lost.count > 0) break;
  }
  if (batch.length > 0 && lost.count === 0) await deleteBatch(batch, false);
  await pool.drain();
  if (toRetry.length > 0 && lost.count === 0) await retryFailed();
  await pool.drain();
  if (lost.count > 0) throw perKeyFailure(bucket, lost, options.objectLockEnabled === true);
  return deleted;
}

/**
 * The failed entries with the version id that was sent for each. A retry must
 * name the same version: without one, a versioned bucket would only get a new
 * delete marker. Some servers (moto) leave VersionId out of per-key errors, so
 * such an error takes the version of the first sent entry of that key.
 */
function withSentVersions(sent: ObjectIdentifier[], errors: DeleteError[]): DeleteError[] {
  if (errors.every((e) => e.VersionId !== undefined)) return errors;
  const unclaimed = [...sent];
  return errors.map((error) => {
    const at = unclaimed.findIndex(
      (o) => o.Key === error.Key && (error.VersionId === undefined || o.VersionId === error.VersionId),
    );
    if (at < 0) return error;
    const [object] = unclaimed.splice(at, 1);
    return { ...error, VersionId: object?.VersionId };
  });
}

/** The classified error for keys that failed twice, naming a few of them. */
function perKeyFailure(
  bucket: string,
  lost: { count: number; codes: Set<string>; examples: DeleteError[] },
  objectLockEnabled: boolean,
): ResourceError {
  const named = lost.examples
    .map((e) => `${e.Key}${e.VersionId ? ` (version ${e.VersionId})` : ""}: ${e.Code} ${e.Message ?? ""}`.trim())
    .join("; ");
  const message = `DeleteObjects ${bucket}: ${lost.count} object version(s) could not be deleted, even on a retry (${named})`;
  if ([...lost.codes].every((code) => transientCodes.has(code))) return new ThrottledError(message);
  if (lost.codes.has("AccessDenied")) {
    if (objectLockEnabled) {
      return new ProtectedError(
        `${message}. The bucket has Object Lock: these versions are under compliance-mode retention, a legal hold, ` +
          `or governance-mode retention without the bypassGovernanceRetention option, and stay until that ends`,
      );
    }
    return new AccessDeniedError(`${message}. The credentials need s3:DeleteObjectVersion on this bucket`, {
      action: "s3:DeleteObjectVersion",
    });
  }
  return new FatalError(message);
}

/**
 * The entries of a marker-paged listing, page by page, with the entry that the
 * next request's markers point at held back until that next page has been
 * fetched: deleting the marker entry first makes some S3 implementations (moto
 * among them) lose their place and end the listing early.
 */
async function* holdingBackMarker<Page, Entry>(
  listing: AsyncIterable<Page>,
  entriesOf: (page: Page) => Entry[],
  isMarker: (entry: Entry, page: Page) => boolean,
): AsyncGenerator<Entry[], void, undefined> {
  let held: Entry | undefined;
  for await (const page of listing) {
    const ready: Entry[] = held === undefined ? [] : [held];
    held = undefined;
    for (const entry of entriesOf(page)) {
      if (held === undefined && isMarker(entry, page)) held = entry;
      else ready.push(entry);
    }
    yield ready;
  }
  if (held !== undefined) yield [held];
}

/**
 * Runs tasks with at most `limit` in flight. `run` waits for a free place, so
 * a caller that produces work faster than it completes is slowed down instead
 * of queueing without bound. The first failure stops new tasks; `drain` waits
 * for the running ones and rethrows it.
 */
class TaskPool {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  }

  async run(task: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running);
    if (this.failure) await this.drain();
    const promise: Promise<void> = task()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  async drain(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure) throw this.failure.error;
  }
}
