import {
  S3ServiceException,
  type AbortMultipartUploadCommandInput,
  type DeleteObjectsCommandInput,
  type DeleteObjectsCommandOutput,
  type ListMultipartUploadsCommandInput,
  type ListMultipartUploadsCommandOutput,
  type ListObjectVersionsCommandInput,
  type ListObjectVersionsCommandOutput,
} from "@aws-sdk/client-s3";

/** One object version or delete marker of a fake bucket. */
export interface FakeVersion {
  readonly Key: string;
  readonly VersionId: string;
  readonly deleteMarker?: boolean;
}

/** An S3 service error as the SDK throws it. */
export function s3Error(name: string, httpStatusCode: number, message = name): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: httpStatusCode >= 500 ? "server" : "client",
    $metadata: { httpStatusCode },
    message,
  });
}

/**
 * An in-memory bucket that answers ListObjectVersions, DeleteObjects,
 * ListMultipartUploads and AbortMultipartUpload by AWS's rules (pages of at
 * most MaxKeys entries counting versions and delete markers together, keys in
 * order and each key's versions newest first, markers naming the last entry
 * returned, MalformedXML past 1,000 keys a DeleteObjects), for unit tests and
 * the benchmark. It also records what a test asserts on: how many listed
 * entries were waiting for a delete at most, and how many deletes ran at once.
 */
export class FakeBucket {
  /** Versions in listing order. */
  private versions: FakeVersion[];
  private uploads: { Key: string; UploadId: string }[];
  /** Per-key error codes still to answer, first attempt first: `key\u0000versionId` -> codes. */
  private readonly failures = new Map<string, string[]>();
  private listedEntries = 0;
  private answeredEntries = 0;
  private deletesInFlight = 0;

  /** Most DeleteObjects calls running at once. */
  maxDeletesInFlight = 0;
  /** Most entries listed but not yet answered by DeleteObjects, seen when a page was asked for. */
  maxListedNotDeleted = 0;
  /** Every call, in order: `list`, `delete`, `list-uploads`, `abort`. */
  readonly log: string[] = [];

  /**
   * @param versions the bucket's versions and delete markers, any order.
   * @param settings `deleteLatencyMs` delays each DeleteObjects answer;
   *   `strictMarkers` ends the listing (as moto does) when the version a
   *   marker names no longer exists.
   */
  constructor(
    versions: FakeVersion[],
    uploads: { Key: string; UploadId: string }[] = [],
    private readonly settings: { deleteLatencyMs?: number; strictMarkers?: boolean } = {},
  ) {
    // Keys in binary order, a key's versions newest first (here: as given).
    this.versions = [...versions].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
    this.uploads = [...uploads].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
  }

  /** `count` objects of an unversioned bucket (version id `null`). */
  static unversioned(count: number): FakeVersion[] {
    return Array.from({ length: count }, (_, i) => ({ Key: `key-${String(i).padStart(7, "0")}`, VersionId: "null" }));
  }

  /** `keys` keys of a versioned bucket, each with `perKey` versions, the newest of every third a delete marker. */
  static versioned(keys: number, perKey: number): FakeVersion[] {
    const out: FakeVersion[] = [];
    for (let k = 0; k < keys; k++) {
      const Key = `doc-${String(k).padStart(6, "0")}`;
      for (let v = perKey; v > 0; v--) {
        out.push({ Key, VersionId: `v${v}-${k}`, ...(v === perKey && k % 3 === 0 ? { deleteMarker: true } : {}) });
      }
    }
    return out;
  }

  /** Makes DeleteObjects report `codes` for this version, one per attempt. */
  failKey(Key: string, VersionId: string, ...codes: string[]): void {
    this.failures.set(`${Key}\u0000${VersionId}`, codes);
  }

  /** What is left in the bucket. */
  get remaining(): readonly FakeVersion[] {
    return this.versions;
  }

  /** Incomplete uploads left. */
  get remainingUploads(): readonly { Key: string; UploadId: string }[] {
    return this.uploads;
  }

  listObjectVersions(input: ListObjectVersionsCommandInput): ListObjectVersionsCommandOutput {
    this.log.push("list");
    this.maxListedNotDeleted = Math.max(this.maxListedNotDeleted, this.listedEntries - this.answeredEntries);
    if (input.VersionIdMarker && !input.KeyMarker) {
      throw s3Error("InvalidArgument", 400, "A version-id marker cannot be specified without a key marker.");
    }
    const maxKeys = Math.min(input.MaxKeys ?? 1000, 1000);
    let start = 0;
    if (input.KeyMarker !== undefined) {
      const marker = input.KeyMarker;
      if (input.VersionIdMarker) {
        const at = this.versions.findIndex((v) => v.Key === marker && v.VersionId === input.VersionIdMarker);
        if (at >= 0) start = at + 1;
        else if (this.settings.strictMarkers) start = this.versions.length;
        // AWS carries on after a deleted marker version: from the key's remaining versions on.
        else start = this.versions.findIndex((v) => v.Key >= marker);
      } else {
        start = this.versions.findIndex((v) => v.Key > marker);
      }
      if (start < 0) start = this.versions.length;
    }
    const page = this.versions.slice(start, start + maxKeys);
    const truncated = start + maxKeys < this.versions.length;
    const last = page.at(-1);
    this.listedEntries += page.length;
    // A key's first version in listing order is its newest: the current one.
    const entries = page.map((v, i) => {
      const previous = this.versions[start + i - 1];
      return { Key: v.Key, VersionId: v.VersionId, IsLatest: previous?.Key !== v.Key, deleteMarker: v.deleteMarker };
    });
    return {
      $metadata: { httpStatusCode: 200 },
      IsTruncated: truncated,
      Versions: entries.filter((v) => !v.deleteMarker).map(({ deleteMarker: _, ...v }) => v),
      DeleteMarkers: entries.filter((v) => v.deleteMarker).map(({ deleteMarker: _, ...v }) => v),
      ...(truncated && last ? { NextKeyMarker: last.Key, NextVersionIdMarker: last.VersionId } : {}),
    };
  }

  async deleteObjects(input: DeleteObjectsCommandInput): Promise<DeleteObjectsCommandOutput> {
    this.log.push("delete");
    const objects = input.Delete?.Objects ?? [];
    if (objects.length > 1000 || objects.length === 0) {
      throw s3Error(
        "MalformedXML",
        400,
        "The XML you provided was not well-formed or did not validate against our published schema",
      );
    }
    this.deletesInFlight += 1;
    this.maxDeletesInFlight = Math.max(this.maxDeletesInFlight, this.deletesInFlight);
    try {
      if (this.settings.deleteLatencyMs) await new Promise((r) => setTimeout(r, this.settings.deleteLatencyMs));
      const Errors: NonNullable<DeleteObjectsCommandOutput["Errors"]> = [];
      const gone = new Set<string>();
      for (const { Key, VersionId } of objects) {
        const id = `${Key}\u0000${VersionId}`;
        const code = this.failures.get(id)?.shift();
        if (code) {
          Errors.push({ Key, VersionId, Code: code, Message: `fake ${code}` });
          continue;
        }
        gone.add(id);
      }
      this.versions = this.versions.filter((v) => !gone.has(`${v.Key}\u0000${v.VersionId}`));
      // Quiet mode: only the errors come back.
      return { $metadata: { httpStatusCode: 200 }, ...(Errors.length > 0 ? { Errors } : {}) };
    } finally {
      this.deletesInFlight -= 1;
      this.answeredEntries += objects.length;
    }
  }

  listMultipartUploads(input: ListMultipartUploadsCommandInput): ListMultipartUploadsCommandOutput {
    this.log.push("list-uploads");
    const max = Math.min(input.MaxUploads ?? 1000, 1000);
    let start = 0;
    if (input.KeyMarker !== undefined) {
      const at = this.uploads.findIndex((u) => u.Key === input.KeyMarker && u.UploadId === input.UploadIdMarker);
      start = at >= 0 ? at + 1 : this.uploads.findIndex((u) => u.Key > (input.KeyMarker ?? ""));
      if (start < 0) start = this.uploads.length;
    }
    const page = this.uploads.slice(start, start + max);
    const truncated = start + max < this.uploads.length;
    const last = page.at(-1);
    return {
      $metadata: { httpStatusCode: 200 },
      IsTruncated: truncated,
      Uploads: page.map((u) => ({ ...u })),
      ...(truncated && last ? { NextKeyMarker: last.Key, NextUploadIdMarker: last.UploadId } : {}),
    };
  }

  abortMultipartUpload(input: AbortMultipartUploadCommandInput): Record<string, never> {
    this.log.push("abort");
    const before = this.uploads.length;
    this.uploads = this.uploads.filter((u) => !(u.Key === input.Key && u.UploadId === input.UploadId));
    if (this.uploads.length === before)
      throw s3Error("NoSuchUpload", 404, "The specified multipart upload does not exist.");
    return {};
  }
}
