import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeS3Account } from "../testing/fake-s3.js";
import { bucket } from "./bucket.js";

// In the workshop's region: every call on a bucket must go to its region's endpoint.
testResourceType(bucket, {
  fixture: fakeS3Account({ pageSize: 10, region: "ap-southeast-1" }),
  count: 25,
  region: "ap-southeast-1",
});
