import { Type } from "@cleanup-runner/plugin-kit";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { FakeCloud, fakeType, registryOf } from "../testing/fake-cloud.js";
import { manifestJsonSchema } from "./json-schema.js";

const cloud = new FakeCloud();
const registry = registryOf(
  fakeType(cloud, { type: "fake.bucket", options: Type.Object({ force: Type.Optional(Type.Boolean()) }) }),
  fakeType(cloud, { type: "fake.table" }),
  fakeType(cloud, { type: "other.role", scope: "global" }),
);
const schema = manifestJsonSchema(registry);
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const manifest = (resources: unknown[]) => ({ apiVersion: "cleanup-runner/v1", name: "m", resources });

describe("manifestJsonSchema", () => {
  it("is plain draft-07 JSON Schema", () => {
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it("accepts a valid manifest", () => {
    const ok = validate(
      manifest([
        { service: "fake", type: "bucket", names: ["a"], options: { force: true } },
        { service: "fake", type: "table", match: { prefix: "x-" } },
        { service: "other", type: "role", match: { all: true } },
      ]),
    );
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each([
    ["an unknown service", { service: "s4", type: "bucket", names: ["a"] }],
    ["a type of another service", { service: "other", type: "bucket", names: ["a"] }],
    ["an unknown option", { service: "fake", type: "bucket", names: ["a"], options: { forse: true } }],
    ["an option of the wrong type", { service: "fake", type: "bucket", names: ["a"], options: { force: "yes" } }],
    ["options on a type without any", { service: "fake", type: "table", names: ["a"], options: { force: true } }],
    ["an unknown entry property", { service: "fake", type: "table", nmes: ["a"] }],
  ])("rejects %s", (_, entry) => {
    expect(validate(manifest([entry]))).toBe(false);
  });
});
