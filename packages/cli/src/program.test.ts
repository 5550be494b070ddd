import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DeleteBucketCommand,
  GetObjectLockConfigurationCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { builtinSchemaText } from "./commands/schema.js";
import { runCli } from "./program.js";
import { memoryIo } from "./testing/memory-io.js";

const sts = mockClient(STSClient);
const signal = new AbortController().signal;

async function manifestFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "runner-cli-"));
  const file = join(dir, "m.yaml");
  await writeFile(file, text);
  return file;
}

beforeEach(() => {
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/t" });
});

describe("runner", () => {
  it("reports every manifest problem with file:line:col and exits 2 without touching AWS", async () => {
    const file = await manifestFile(
      [
        "apiVersion: cleanup-runner/v1",
        "name: bad",
        "resources:",
        "  - service: s3",
        "    type: bucket",
        "    nmes: [a]",
        "  - service: s3",
        "    type: bukket",
        "    names: [b]",
        "",
      ].join("\n"),
    );
    const io = memoryIo({ AWS_REGION: "us-east-1" });
    for (const command of ["validate", "plan", "apply"]) {
      expect(await runCli([command, file], io, signal)).toBe(2);
    }
    expect(io.err()).toContain(`${file}:6:5  resources[0].nmes  unknown property "nmes" (did you mean "names"?)`);
    expect(io.err()).toMatch(
      new RegExp(
        `${file}:8:11  resources\\[1\\]\\.type  unknown type "bukket" for service s3 \\(did you mean s3.bucket\\?`,
      ),
    );
    expect(io.err()).not.toMatch(/\n\s+at /); // no stack trace
    expect(sts.calls()).toHaveLength(0);
  });

  it("reports a YAML syntax error located, exit 2", async () => {
    const file = await manifestFile("apiVersion: cleanup-runner/v1\nname: [unclosed\n");
    const io = memoryIo();
    expect(await runCli(["validate", file], io, signal)).toBe(2);
    expect(io.err()).toMatch(new RegExp(`${file}:\\d+:\\d+  YAML syntax`));
  });

  it("refuses an account the manifest does not allow, exit 3, before discovering anything", async () => {
    const file = await manifestFile(
      [
        "apiVersion: cleanup-runner/v1",
        "name: guarded",
        "target: { regions: [us-east-1], accounts: ['999999999999'] }",
        "resources:",
        "  - { service: s3, type: bucket, names: [x] }",
        "",
      ].join("\n"),
    );
    const io = memoryIo();
    expect(await runCli(["plan", file], io, signal)).toBe(3);
    expect(io.err()).toContain("account 123456789012");
    expect(io.err()).toContain("999999999999");
  });

  it("exits 2 on an unknown command or option, with a hint", async () => {
    const io = memoryIo();
    expect(await runCli(["plna"], io, signal)).toBe(2);
    expect(await runCli(["plan", "--bogus", "x.yaml"], io, signal)).toBe(2);
    expect(io.err()).toContain("runner --help");
  });

  it("explains each command in --help with an example", async () => {
    for (const command of ["plan", "apply", "validate", "schema"]) {
      const io = memoryIo();
      expect(await runCli([command, "--help"], io, signal)).toBe(0);
      expect(io.out()).toMatch(/Example/);
    }
  });

  it("prints the schema, and the committed manifest.schema.json is the generated one", async () => {
    const io = memoryIo();
    expect(await runCli(["schema"], io, signal)).toBe(0);
    const committed = await readFile(new URL("../../../manifest.schema.json", import.meta.url), "utf8");
    expect(io.out()).toBe(builtinSchemaText());
    expect(committed).toBe(builtinSchemaText());
    expect(JSON.parse(committed).$schema).toBe("http://json-schema.org/draft-07/schema#");
  });

  it("lists every built-in resource type with its options", async () => {
    const io = memoryIo();
    expect(await runCli(["plugins"], io, signal)).toBe(0);
    for (const type of ["s3.bucket", "dynamodb.table", "iam.role", "personalize.campaign", "logs.log-group"]) {
      expect(io.out()).toContain(type);
    }
    expect(io.out()).toContain("option disableDeletionProtection");
  });

  it("validate --print shows the resolved manifest with vars substituted", async () => {
    const file = await manifestFile(
      "apiVersion: cleanup-runner/v1\nname: v\nvars: { prefix: k18 }\nresources:\n  - { service: s3, type: bucket, match: { prefix: '${prefix}-' } }\n",
    );
    const io = memoryIo();
    expect(await runCli(["validate", file, "--print", "--var", "prefix=k19"], io, signal)).toBe(0);
    expect(io.out()).toContain("prefix: k19-");
  });

  it("validates the shipped manifests; the cohort manifest extends the shared one with one prefix per student", async () => {
    const repo = new URL("../../../", import.meta.url).pathname;
    const io = memoryIo();
    expect(await runCli(["validate", `${repo}manifests/student-system.yaml`], io, signal)).toBe(0);
    const cohort = memoryIo();
    expect(await runCli(["validate", `${repo}manifests/cohorts/k18.yaml`, "--print"], cohort, signal)).toBe(0);
    for (const student of ["k18-an", "k18-binh", "k18-chi"]) expect(cohort.out()).toContain(`prefix: ${student}-`);
    expect(cohort.out()).toContain("name: student-system-k18");
  });

  it("refuses a manifest plugin whose type collides with a built-in one, naming it, exit 2", async () => {
    const dir = await mkdtemp(join(new URL("../../../", import.meta.url).pathname, ".scaffold-collide-"));
    await writeFile(
      join(dir, "dup.ts"),
      'import { definePlugin, defineResource } from "@cleanup-runner/plugin-kit";\n' +
        'export default definePlugin({ name: "dup", resources: [defineResource({ type: "s3.bucket", description: "d", scope: "regional", async *discover() {}, async delete() {}, async verify() { return "gone"; } })] });\n',
    );
    await writeFile(
      join(dir, "m.yaml"),
      "apiVersion: cleanup-runner/v1\nname: d\nplugins: [./dup.ts, ./nowhere.ts]\nresources:\n  - { service: s3, type: bucket, names: [x] }\n",
    );
    const io = memoryIo();
    expect(await runCli(["validate", join(dir, "m.yaml")], io, signal)).toBe(2);
    expect(io.err()).toMatch(/nowhere\.ts/);
    await writeFile(
      join(dir, "m.yaml"),
      "apiVersion: cleanup-runner/v1\nname: d\nplugins: [./dup.ts]\nresources:\n  - { service: s3, type: bucket, names: [x] }\n",
    );
    const again = memoryIo();
    expect(await runCli(["validate", join(dir, "m.yaml")], again, signal)).toBe(2);
    expect(again.err()).toContain("plugin dup declares s3.bucket, which plugin s3 already declares");
    await rm(dir, { recursive: true, force: true });
  });

  it("apply without a terminal and without --yes refuses with exit 3, after showing the plan, deleting nothing", async () => {
    const file = await manifestFile(
      "apiVersion: cleanup-runner/v1\nname: n\ntarget: { regions: [us-east-1] }\nresources:\n  - { service: s3, type: bucket, names: [b] }\n",
    );
    const s3 = mockClient(S3Client);
    s3.on(ListBucketsCommand).resolves({
      Buckets: [{ Name: "b", CreationDate: new Date(0), BucketRegion: "us-east-1" }],
    });
    s3.on(GetObjectLockConfigurationCommand).rejects(
      Object.assign(new Error("none"), {
        name: "ObjectLockConfigurationNotFoundError",
        $metadata: { httpStatusCode: 404 },
      }),
    );
    s3.on(ListObjectVersionsCommand).resolves({ Versions: [], IsTruncated: false });
    s3.on(ListMultipartUploadsCommand).resolves({ Uploads: [], IsTruncated: false });
    const io = memoryIo({ AWS_ACCESS_KEY_ID: "t", AWS_SECRET_ACCESS_KEY: "t" });
    expect(await runCli(["apply", file], io, signal)).toBe(3);
    expect(io.out()).toContain("1 to delete");
    expect(io.err()).toContain("Pass --yes");
    expect(s3.commandCalls(DeleteBucketCommand)).toHaveLength(0);
    s3.restore();
  });

  it("runner demo without moto server says how to install it, exit 2", async () => {
    const io = memoryIo();
    const saved = process.env.MOTO_SERVER;
    process.env.MOTO_SERVER = "/nonexistent/moto_server";
    try {
      expect(await runCli(["demo"], io, signal)).toBe(2);
    } finally {
      if (saved === undefined) delete process.env.MOTO_SERVER;
      else process.env.MOTO_SERVER = saved;
    }
    expect(io.err()).toContain('pip install "moto[server]"');
  });
});
