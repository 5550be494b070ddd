import { Type } from "@sinclair/typebox";
import { describe, expect, it } from "vitest";
import { KIT_VERSION, definePlugin, defineResource } from "./define.js";
import type { ResourceType, ResourceTypeName } from "./types.js";

const resource = (type: string): ResourceType =>
  ({
    type: type as ResourceTypeName,
    description: "d",
    scope: "regional",
    // eslint-disable-next-line require-yield
    async *discover() {
      return;
    },
    async delete() {},
    async verify() {
      return "gone" as const;
    },
  }) satisfies ResourceType;

describe("defineResource", () => {
  it.each(["s3.bucket", "cognito.user-pool", "apigateway.rest-api", "logs.log-group", "a1.b2"])(
    "accepts %s",
    (type) => {
      const r = resource(type);
      expect(defineResource(r)).toBe(r);
    },
  );

  it.each(["bucket", "S3.bucket", "s3.Bucket", "s3.user_pool", "s3.bucket.x", "s3.", ".bucket", "s3 .bucket"])(
    "refuses %s",
    (type) => {
      expect(() => defineResource(resource(type))).toThrow(/service\.type/);
    },
  );

  it("keeps the options schema", () => {
    const options = Type.Object({ force: Type.Boolean({ default: false }) });
    const r = defineResource({ ...resource("s3.bucket"), options });
    expect(r.options).toBe(options);
  });
});

describe("definePlugin", () => {
  it("stamps the kit version and keeps the types", () => {
    const types = [resource("x.a"), resource("x.b")];
    const plugin = definePlugin({ name: "x", resources: types });
    expect(plugin).toEqual({ name: "x", kitVersion: KIT_VERSION, resources: types });
  });

  it("refuses a type declared twice", () => {
    expect(() => definePlugin({ name: "x", resources: [resource("x.a"), resource("x.b"), resource("x.a")] })).toThrow(
      "plugin x declares x.a twice",
    );
  });
});
