/**
 * The real CLI against moto server: S3 buckets with more than 1,000 object
 * versions and delete markers, protected and unprotected tables, a decoy of
 * each; a frozen plan; and an apply interrupted by Ctrl-C (SIGINT to a child
 * process) that a second apply finishes.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "@cleanup-runner/core";
import { runCli } from "../program.js";
import { memoryIo } from "../testing/memory-io.js";

const bin = fileURLToPath(new URL("../../bin/runner.js", import.meta.url));
const moto = useMoto();
const s3 = () => moto.client(S3Client);
const dynamodb = () => moto.client(DynamoDBClient);
let env: Record<string, string>;
let saved: NodeJS.ProcessEnv;

beforeAll(async () => {
  env = {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    NO_COLOR: "1",
  };
  // The SDK reads its endpoint, region and credentials from the process environment.
  saved = { ...process.env };
  Object.assign(process.env, env);
});
afterAll(async () => {
  process.env = saved;
});

async function bucketWith(name: string, objects: number, versioned: boolean): Promise<void> {
  await s3().send(new CreateBucketCommand({ Bucket: name }));
  if (versioned)
    await s3().send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Enabled" } }));
  for (let i = 0; i < objects; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, objects - i) }, (_, j) =>
        s3().send(new PutObjectCommand({ Bucket: name, Key: `k/${i + j}`, Body: "x" })),
      ),
    );
  }
  if (versioned) {
    // A second version of some keys and a delete marker on others.
    for (let i = 0; i < 20; i++) await s3().send(new PutObjectCommand({ Bucket: name, Key: `k/${i}`, Body: "y" }));
    for (let i = 20; i < 30; i++) await s3().send(new DeleteObjectCommand({ Bucket: name, Key: `k/${i}` }));
  }
}

async function table(name: string, protect: boolean): Promise<void> {
  await dynamodb().send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
      DeletionProtectionEnabled: protect,
    }),
  );
}

const exists = async (bucket: string) =>
  s3()
    .send(new HeadBucketCommand({ Bucket: bucket }))
    .then(
      () => true,
      () => false,
    );
const tableExists = async (name: string) =>
  dynamodb()
    .send(new DescribeTableCommand({ TableName: name }))
    .then(
      () => true,
      () => false,
    );

async function manifest(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "cli-moto-"));
  const file = join(dir, "m.yaml");
  await writeFile(file, `apiVersion: cleanup-runner/v1\nname: moto\nresources:\n${text}`);
  return file;
}

describe("runner apply against moto", () => {
  it("empties versioned and unversioned buckets past 1,000 objects, honours table protection, leaves decoys", async () => {
    await bucketWith("ws-versioned", 1_050, true);
    await bucketWith("ws-plain", 1_020, false);
    await bucketWith("keep-me", 3, true);
    await table("ws-open", false);
    await table("ws-guarded", true);
    await table("ws-guarded-optin", true);
    await table("keep-table", false);
    const file = await manifest(
      [
        "  - { service: s3, type: bucket, match: { prefix: ws- } }",
        "  - { service: dynamodb, type: table, names: [ws-open, ws-guarded] }",
        "  - { service: dynamodb, type: table, names: [ws-guarded-optin], options: { disableDeletionProtection: true } }",
        "",
      ].join("\n"),
    );
    const dir = await mkdtemp(join(tmpdir(), "cli-report-"));
    const io = memoryIo(env);
    const code = await runCli(
      ["apply", file, "--yes", "--report", join(dir, "r.json")],
      io,
      new AbortController().signal,
    );
    expect(code, io.out() + io.err()).toBe(0);
    expect(io.out()).toMatch(/protected.*deletion protection/s);
    expect(await exists("ws-versioned")).toBe(false);
    expect(await exists("ws-plain")).toBe(false);
    expect(await exists("keep-me")).toBe(true);
    const tables = (await dynamodb().send(new ListTablesCommand({}))).TableNames ?? [];
    expect(tables.sort()).toEqual(["keep-table", "ws-guarded"]);
    const report = JSON.parse(await readFile(join(dir, "r.json"), "utf8")) as Report;
    expect(report.totals).toMatchObject({ deleted: 4, protected: 1, failed: 0 });
    // 1,050 + 20 versions + 10 markers: two DeleteObjects pages at least for the versioned bucket.
    expect(report.apiCalls.S3?.DeleteObjects).toBeGreaterThanOrEqual(4);
    expect(await tableExists("ws-guarded")).toBe(true);
  });

  it("plan --out freezes the plan; apply --plan deletes exactly it, nothing created since", async () => {
    await bucketWith("ws-a", 2, false);
    const file = await manifest("  - { service: s3, type: bucket, match: { prefix: ws- } }\n");
    const dir = await mkdtemp(join(tmpdir(), "cli-plan-"));
    const planFile = join(dir, "plan.json");
    const plan = memoryIo(env);
    expect(await runCli(["plan", file, "--out", planFile], plan, new AbortController().signal)).toBe(0);
    await bucketWith("ws-b", 1, false); // made after the plan
    const apply = memoryIo(env);
    expect(await runCli(["apply", "--plan", planFile, "--yes"], apply, new AbortController().signal)).toBe(0);
    expect(await exists("ws-a")).toBe(false);
    expect(await exists("ws-b")).toBe(true);
  });

  it("Ctrl-C stops new deletes, writes the report and exits 1; a second apply finishes, the first run's deletes already gone", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `ws-int-${String(i).padStart(2, "0")}`);
    for (const name of names) await bucketWith(name, 1, false);
    const file = await manifest("  - { service: s3, type: bucket, match: { prefix: ws-int- } }\n");
    const dir = await mkdtemp(join(tmpdir(), "cli-int-"));
    const planFile = join(dir, "plan.json");
    expect(await runCli(["plan", file, "--out", planFile], memoryIo(env), new AbortController().signal)).toBe(0);

    const first = join(dir, "first.json");
    const child = spawn(
      process.execPath,
      [bin, "apply", "--plan", planFile, "--yes", "--concurrency", "1", "--report", first],
      {
        env: { ...process.env, ...env, CI: "true" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    let signalled = false;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!signalled && /deleted\s+s3\.bucket/.test(stderr)) {
        signalled = true;
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(signalled, stderr).toBe(true);
    expect(code, stderr).toBe(1);
    const report1 = JSON.parse(await readFile(first, "utf8")) as Report;
    expect(report1.interrupted).toBe(true);
    const deletedFirst = report1.resources.filter((r) => r.outcome === "deleted").map((r) => r.name);
    expect(deletedFirst.length).toBeGreaterThan(0);
    expect(report1.totals["not-started"]).toBeGreaterThan(0);
    expect(deletedFirst.length + report1.totals["not-started"] + report1.totals.remaining).toBe(names.length);

    const second = join(dir, "second.json");
    const again = memoryIo(env);
    expect(
      await runCli(["apply", "--plan", planFile, "--yes", "--report", second], again, new AbortController().signal),
    ).toBe(0);
    const report2 = JSON.parse(await readFile(second, "utf8")) as Report;
    for (const r of report2.resources) {
      expect(r.outcome).toBe(deletedFirst.includes(r.name) ? "already-gone" : "deleted");
    }
    const left = (await s3().send(new ListBucketsCommand({}))).Buckets ?? [];
    expect(left.map((b) => b.Name)).toEqual([]);
  }, 120_000);
});
