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
  type AbortMultipartUploadCommandInput,
  type DeleteObjectsCommandInput,
  type ListBucketsCommandInput,
  type ListMultipartUploadsCommandInput,
  type ListObjectVersionsCommandInput,
  type S3ClientResolvedConfig,
} from "@aws-sdk/client-s3";
import type { ContractFixture } from "@cleanup-runner/plugin-kit/contract";
import { mockClient } from "aws-sdk-client-mock";
import { FakeBucket, s3Error } from "./fake-bucket.js";

/** One bucket of the fake account. */
interface AccountBucket {
  readonly region: string;
  readonly created: Date;
  readonly tags: Record<string, string> | undefined;
  /** Its versions, delete markers and incomplete uploads, answered by AWS's listing rules. */
  readonly contents: FakeBucket;
}

/** What a mocked call hands its fake: the client it was sent with (for its region). */
type Caller = () => { config: Pick<S3ClientResolvedConfig, "region"> };

/** How the fake account pages and where its buckets live. */
export interface FakeS3AccountSettings {
  /**
   * Most buckets a ListBuckets page holds. S3 pages at MaxBuckets, or 10,000
   * when a region, prefix or token is sent without it; the fake pages far
   * smaller so a handful of buckets takes several pages.
   */
  readonly pageSize?: number;
  /** The region every seeded bucket lives in (default us-east-1). */
  readonly region?: string;
}

/** ListBuckets' ContinuationToken: opaque to the caller; here the last name returned. */
const tokenAfter = (name: string) => Buffer.from(name).toString("base64url");
const nameIn = (token: string) => Buffer.from(token, "base64url").toString();

/**
 * An in-memory S3 account on aws-sdk-client-mock, for the contract suite of
 * `s3.bucket`, by AWS's rules: ListBuckets filtered server-side by
 * BucketRegion and Prefix, in name order, paged by ContinuationToken; each
 * bucket's contents answered by a {@link FakeBucket} (every bucket is seeded
 * with versions, a delete marker and an incomplete upload, so a delete must
 * empty it); DeleteBucket refused with BucketNotEmpty (409) while anything is
 * left; calls on a bucket sent to another region's endpoint answered with
 * PermanentRedirect (301); NoSuchBucket (404) for an unknown bucket, and
 * HeadBucket's bodiless NotFound (404).
 */
export function fakeS3Account(settings: FakeS3AccountSettings = {}): ContractFixture {
  const pageSize = settings.pageSize ?? 10;
  const home = settings.region ?? "us-east-1";
  const mock = mockClient(S3Client);
  let buckets = new Map<string, AccountBucket>();

  /** The bucket a call names, as S3 finds it from the endpoint the client calls. */
  async function bucketAt(name: string | undefined, client: Caller): Promise<AccountBucket> {
    const bucket = buckets.get(name ?? "");
    if (!bucket) throw s3Error("NoSuchBucket", 404, "The specified bucket does not exist");
    if ((await client().config.region()) !== bucket.region) {
      throw s3Error(
        "PermanentRedirect",
        301,
        "The bucket you are attempting to access must be addressed using the specified endpoint.",
      );
    }
    return bucket;
  }

  function listBuckets(input: ListBucketsCommandInput) {
    const after = input.ContinuationToken ? nameIn(input.ContinuationToken) : "";
    const matching = [...buckets.entries()]
      .filter(
        ([name, b]) => name.startsWith(input.Prefix ?? "") && (!input.BucketRegion || b.region === input.BucketRegion),
      )
      .filter(([name]) => name > after)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    const page = matching.slice(0, Math.min(input.MaxBuckets ?? 10_000, pageSize));
    const last = page.at(-1);
    return {
      Buckets: page.map(([Name, b]) => ({
        Name,
        CreationDate: b.created,
        BucketRegion: b.region,
        BucketArn: `arn:aws:s3:::${Name}`,
      })),
      Owner: { ID: "fake-owner" },
      ...(input.Prefix ? { Prefix: input.Prefix } : {}),
      ...(last && matching.length > page.length ? { ContinuationToken: tokenAfter(last[0]) } : {}),
    };
  }

  return {
    seed(resources) {
      mock.reset();
      buckets = new Map(
        resources.map((r) => [
          r.name,
          {
            region: home,
            created: new Date("2024-03-01T10:00:00.000Z"),
            tags: r.tags,
            contents: new FakeBucket(FakeBucket.versioned(2, 2), [{ Key: "uploads/big.bin", UploadId: "upload-1" }]),
          },
        ]),
      );
      mock.on(ListBucketsCommand).callsFake(listBuckets);
      mock.on(GetBucketLocationCommand).callsFake((input: { Bucket?: string }) => {
        const bucket = buckets.get(input.Bucket ?? "");
        if (!bucket) throw s3Error("NoSuchBucket", 404, "The specified bucket does not exist");
        // us-east-1 buckets answer with an empty LocationConstraint.
        return bucket.region === "us-east-1" ? {} : { LocationConstraint: bucket.region };
      });
      mock.on(GetBucketTaggingCommand).callsFake(async (input: { Bucket?: string }, client: Caller) => {
        const { tags } = await bucketAt(input.Bucket, client);
        if (!tags || Object.keys(tags).length === 0) {
          throw s3Error("NoSuchTagSet", 404, "The TagSet does not exist");
        }
        return { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
      });
      mock.on(GetObjectLockConfigurationCommand).callsFake(async (input: { Bucket?: string }, client: Caller) => {
        await bucketAt(input.Bucket, client);
        throw s3Error(
          "ObjectLockConfigurationNotFoundError",
          404,
          "Object Lock configuration does not exist for this bucket",
        );
      });
      mock
        .on(ListObjectVersionsCommand)
        .callsFake(async (input: ListObjectVersionsCommandInput, client: Caller) =>
          (await bucketAt(input.Bucket, client)).contents.listObjectVersions(input),
        );
      mock
        .on(DeleteObjectsCommand)
        .callsFake(async (input: DeleteObjectsCommandInput, client: Caller) =>
          (await bucketAt(input.Bucket, client)).contents.deleteObjects(input),
        );
      mock
        .on(ListMultipartUploadsCommand)
        .callsFake(async (input: ListMultipartUploadsCommandInput, client: Caller) =>
          (await bucketAt(input.Bucket, client)).contents.listMultipartUploads(input),
        );
      mock
        .on(AbortMultipartUploadCommand)
        .callsFake(async (input: AbortMultipartUploadCommandInput, client: Caller) =>
          (await bucketAt(input.Bucket, client)).contents.abortMultipartUpload(input),
        );
      mock.on(DeleteBucketCommand).callsFake(async (input: { Bucket?: string }, client: Caller) => {
        const { contents } = await bucketAt(input.Bucket, client);
        if (contents.remaining.length > 0 || contents.remainingUploads.length > 0) {
          throw s3Error("BucketNotEmpty", 409, "The bucket you tried to delete is not empty");
        }
        buckets.delete(input.Bucket ?? "");
        return {};
      });
      mock.on(HeadBucketCommand).callsFake(async (input: { Bucket?: string }, client: Caller) => {
        try {
          await bucketAt(input.Bucket, client);
        } catch (error) {
          // A HEAD answer has no body: the SDK names a missing bucket by its status only.
          if ((error as { name?: string }).name === "NoSuchBucket") throw s3Error("NotFound", 404, "Not Found");
          throw error;
        }
        return { BucketRegion: buckets.get(input.Bucket ?? "")?.region };
      });
    },
    present: () => [...buckets.keys()],
  };
}
