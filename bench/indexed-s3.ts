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
  type S3Client,
} from "@aws-sdk/client-s3";
import type { AwsClientStub } from "aws-sdk-client-mock";
import { s3Error } from "../plugins/s3/src/testing/fake-bucket.js";

/** ListObjectVersions and DeleteObjects handle at most 1,000 entries a call. */
export const S3_PAGE = 1000;
/** ListBuckets pages at MaxBuckets, at most 10,000. */
const BUCKETS_PAGE = 10_000;

/** How one bucket is seeded. */
export interface IndexedBucketSpec {
  readonly name: string;
  /** Keys it holds. */
  readonly keys: number;
  /**
   * Versions per key (1: an unversioned bucket, version id `null`). In a
   * versioned bucket the newest version of every fourth key is a delete marker.
   */
  readonly versionsPerKey: number;
  /** Incomplete multipart uploads. */
  readonly uploads?: number;
  readonly tags?: Record<string, string>;
}

interface IndexedBucket {
  readonly spec: IndexedBucketSpec;
  /** One byte per entry (version or delete marker): 1 once deleted. */
  readonly deleted: Uint8Array;
  remaining: number;
  uploads: { Key: string; UploadId: string }[];
}

const pad = (n: number) => String(n).padStart(7, "0");

/**
 * An S3 account whose buckets hold up to millions of entries without holding
 * a listing: entry `j` of a bucket is key `j / versionsPerKey`, version
 * `j % versionsPerKey` (newest first), and its name encodes its index, so
 * listings are derived and only a byte per entry records deletes. It answers
 * by AWS's rules what the s3.bucket type sends: ListBuckets filtered by Prefix
 * and BucketRegion in name order, ListObjectVersions pages of at most 1,000
 * entries after KeyMarker / VersionIdMarker (versions and delete markers
 * apart), DeleteObjects of at most 1,000 keys (MalformedXML past that),
 * DeleteBucket refused with BucketNotEmpty (409) while anything is left, and
 * HeadBucket's bodiless NotFound once it is gone. The peak RSS of a run is
 * then the runner's own, not the fake's.
 */
export class IndexedS3Account {
  readonly #buckets = new Map<string, IndexedBucket>();

  /** Adds a bucket in us-east-1. */
  addBucket(spec: IndexedBucketSpec): void {
    const entries = spec.keys * spec.versionsPerKey;
    this.#buckets.set(spec.name, {
      spec,
      deleted: new Uint8Array(entries),
      remaining: entries,
      uploads: Array.from({ length: spec.uploads ?? 0 }, (_, i) => ({
        Key: `videos/lecture-${pad(i)}.mp4`,
        UploadId: `upload-${i}`,
      })),
    });
  }

  /** Entries (object versions and delete markers) a bucket was seeded with. */
  entriesOf(name: string): number {
    const bucket = this.#buckets.get(name);
    return bucket ? bucket.deleted.length : 0;
  }

  /** Incomplete uploads a bucket was seeded with. */
  uploadsOf(name: string): number {
    return this.#buckets.get(name)?.spec.uploads ?? 0;
  }

  /** Names of the buckets that still exist. */
  get bucketNames(): string[] {
    return [...this.#buckets.keys()];
  }

  /** Entries left in every bucket that still exists. */
  get entriesLeft(): number {
    let n = 0;
    for (const b of this.#buckets.values()) n += b.remaining;
    return n;
  }

  /** Answers the stub's S3 calls from this account. */
  install(stub: AwsClientStub<S3Client>): void {
    stub
      .on(ListBucketsCommand)
      .callsFake((input: { Prefix?: string; ContinuationToken?: string; MaxBuckets?: number }) => {
        const after = input.ContinuationToken ? Buffer.from(input.ContinuationToken, "base64url").toString() : "";
        const names = [...this.#buckets.keys()]
          .filter((n) => n.startsWith(input.Prefix ?? "") && n > after)
          .sort((a, b) => (a < b ? -1 : 1));
        const page = names.slice(0, Math.min(input.MaxBuckets ?? BUCKETS_PAGE, BUCKETS_PAGE));
        const last = page.at(-1);
        return {
          Buckets: page.map((Name) => ({
            Name,
            CreationDate: new Date("2024-03-01T10:00:00Z"),
            BucketRegion: "us-east-1",
            BucketArn: `arn:aws:s3:::${Name}`,
          })),
          ...(last && names.length > page.length ? { ContinuationToken: Buffer.from(last).toString("base64url") } : {}),
        };
      });
    stub.on(GetBucketLocationCommand).callsFake((input: { Bucket?: string }) => (this.#bucket(input.Bucket), {}));
    stub.on(GetBucketTaggingCommand).callsFake((input: { Bucket?: string }) => {
      const tags = this.#bucket(input.Bucket).spec.tags ?? {};
      if (Object.keys(tags).length === 0) throw s3Error("NoSuchTagSet", 404, "The TagSet does not exist");
      return { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
    });
    stub.on(GetObjectLockConfigurationCommand).callsFake((input: { Bucket?: string }) => {
      this.#bucket(input.Bucket);
      throw s3Error("ObjectLockConfigurationNotFoundError", 404, "Object Lock configuration does not exist");
    });
    stub
      .on(ListObjectVersionsCommand)
      .callsFake((input: { Bucket?: string; KeyMarker?: string; VersionIdMarker?: string; MaxKeys?: number }) =>
        this.#listVersions(this.#bucket(input.Bucket), input),
      );
    stub
      .on(DeleteObjectsCommand)
      .callsFake((input: { Bucket?: string; Delete?: { Objects?: { Key?: string; VersionId?: string }[] } }) => {
        const bucket = this.#bucket(input.Bucket);
        const objects = input.Delete?.Objects ?? [];
        if (objects.length === 0 || objects.length > S3_PAGE) {
          throw s3Error("MalformedXML", 400, "The XML you provided was not well-formed");
        }
        for (const { Key, VersionId } of objects) {
          const j = this.#indexOf(bucket, Key ?? "", VersionId);
          if (j !== undefined && bucket.deleted[j] === 0) {
            bucket.deleted[j] = 1;
            bucket.remaining -= 1;
          }
        }
        return {};
      });
    stub.on(ListMultipartUploadsCommand).callsFake((input: { Bucket?: string }) => ({
      Uploads: this.#bucket(input.Bucket).uploads.map((u) => ({ ...u })),
      IsTruncated: false,
    }));
    stub.on(AbortMultipartUploadCommand).callsFake((input: { Bucket?: string; Key?: string; UploadId?: string }) => {
      const bucket = this.#bucket(input.Bucket);
      const before = bucket.uploads.length;
      bucket.uploads = bucket.uploads.filter((u) => !(u.Key === input.Key && u.UploadId === input.UploadId));
      if (bucket.uploads.length === before) throw s3Error("NoSuchUpload", 404, "The upload does not exist");
      return {};
    });
    stub.on(DeleteBucketCommand).callsFake((input: { Bucket?: string }) => {
      const bucket = this.#bucket(input.Bucket);
      if (bucket.remaining > 0 || bucket.uploads.length > 0) {
        throw s3Error("BucketNotEmpty", 409, "The bucket you tried to delete is not empty");
      }
      this.#buckets.delete(bucket.spec.name);
      return {};
    });
    stub.on(HeadBucketCommand).callsFake((input: { Bucket?: string }) => {
      if (!this.#buckets.has(input.Bucket ?? "")) throw s3Error("NotFound", 404, "Not Found");
      return { BucketRegion: "us-east-1" };
    });
  }

  #bucket(name: string | undefined): IndexedBucket {
    const bucket = this.#buckets.get(name ?? "");
    if (!bucket) throw s3Error("NoSuchBucket", 404, "The specified bucket does not exist");
    return bucket;
  }

  #key(bucket: IndexedBucket, j: number): string {
    return `objects/${pad(Math.floor(j / bucket.spec.versionsPerKey))}`;
  }

  #versionId(bucket: IndexedBucket, j: number): string {
    return bucket.spec.versionsPerKey === 1 ? "null" : `v-${j}`;
  }

  /** The entry a key and version id name, or undefined when there is none. */
  #indexOf(bucket: IndexedBucket, key: string, versionId: string | undefined): number | undefined {
    const k = Number(key.slice(-7));
    const perKey = bucket.spec.versionsPerKey;
    const j = perKey === 1 ? k : Number(versionId?.slice(2));
    if (!Number.isInteger(j) || j < 0 || j >= bucket.deleted.length || Math.floor(j / perKey) !== k) return undefined;
    return j;
  }

  #listVersions(bucket: IndexedBucket, input: { KeyMarker?: string; VersionIdMarker?: string; MaxKeys?: number }) {
    if (input.VersionIdMarker && !input.KeyMarker) {
      throw s3Error("InvalidArgument", 400, "A version-id marker cannot be specified without a key marker.");
    }
    const perKey = bucket.spec.versionsPerKey;
    let start = 0;
    if (input.KeyMarker !== undefined) {
      const k = Number(input.KeyMarker.slice(-7));
      // After the marker version; without one, after every version of the marker key.
      const marked = input.VersionIdMarker ? this.#indexOf(bucket, input.KeyMarker, input.VersionIdMarker) : undefined;
      start = marked !== undefined ? marked + 1 : (k + 1) * perKey;
    }
    const max = Math.min(input.MaxKeys ?? S3_PAGE, S3_PAGE);
    const Versions: { Key: string; VersionId: string; IsLatest: boolean }[] = [];
    const DeleteMarkers: { Key: string; VersionId: string; IsLatest: boolean }[] = [];
    let j = start;
    let last = -1;
    for (; j < bucket.deleted.length && Versions.length + DeleteMarkers.length < max; j++) {
      if (bucket.deleted[j]) continue;
      const version = j % perKey;
      const entry = { Key: this.#key(bucket, j), VersionId: this.#versionId(bucket, j), IsLatest: version === 0 };
      const isMarker = perKey > 1 && version === 0 && Math.floor(j / perKey) % 4 === 0;
      (isMarker ? DeleteMarkers : Versions).push(entry);
      last = j;
    }
    while (j < bucket.deleted.length && bucket.deleted[j]) j++;
    const truncated = j < bucket.deleted.length;
    return {
      IsTruncated: truncated,
      Versions,
      DeleteMarkers,
      ...(truncated && last >= 0
        ? { NextKeyMarker: this.#key(bucket, last), NextVersionIdMarker: this.#versionId(bucket, last) }
        : {}),
    };
  }
}
