/**
 * IAM is where a cleanup tool can do the most harm. For random accounts
 * (names, paths and tags, every AWS-managed pattern included) and random
 * manifest selectors, through the real planner, executor and IAM plugin:
 * the plan never puts a protected role up for deletion, never plans a role
 * that no selector matches, and apply deletes exactly what the plan said.
 */
import { IAMClient } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { runCli } from "@cleanup-runner/cli";
import { selects, VirtualClock } from "@cleanup-runner/core";
import iam from "@cleanup-runner/plugin-iam";
import { FakeIam, trustPolicyFor } from "@cleanup-runner/plugin-iam/testing";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { EngineRun, manifestOf, type Entry } from "./harness.js";

const iamMock = mockClient(IAMClient);
beforeEach(() => iamMock.reset());

/** Independent of the plugin's list: what must never be deleted. */
function mustSurvive(role: { name: string; path: string; serviceLinked: boolean }): boolean {
  const name = role.name.toLowerCase();
  return (
    role.serviceLinked ||
    role.path.startsWith("/aws-service-role/") ||
    role.path.startsWith("/aws-reserved/") ||
    name.startsWith("awsservicerolefor") ||
    name.startsWith("awsreservedsso_") ||
    name === "organizationaccountaccessrole" ||
    name.startsWith("awscontroltower") ||
    name.startsWith("aws-controltower-") ||
    name.startsWith("stacksets-exec-")
  );
}

const managedRole = fc.oneof(
  fc.record({
    name: fc.constantFrom("AWSServiceRoleForAutoScaling", "AWSServiceRoleForECS", "awsservicerolefortest"),
    path: fc.constant("/aws-service-role/autoscaling.amazonaws.com/"),
    serviceLinked: fc.constant(true),
  }),
  fc.record({
    name: fc.constantFrom("AWSReservedSSO_Admin_0123456789abcdef"),
    path: fc.constant("/aws-reserved/sso.amazonaws.com/"),
    serviceLinked: fc.constant(false),
  }),
  fc.record({
    name: fc.constantFrom(
      "OrganizationAccountAccessRole",
      "AWSControlTowerExecution",
      "aws-controltower-AdministratorExecutionRole",
      "stacksets-exec-1234",
    ),
    path: fc.constant("/"),
    serviceLinked: fc.constant(false),
  }),
);
const ordinaryRole = fc.record({
  name: fc
    .tuple(fc.constantFrom("student-", "k18-", "other-", "student-keep-", ""), fc.stringMatching(/^[a-z0-9]{1,8}$/))
    .map(([p, s]) => `${p}${s}`),
  path: fc.constantFrom("/", "/service-role/", "/workshop/"),
  serviceLinked: fc.constant(false),
});
const role = fc.tuple(
  fc.oneof({ weight: 1, arbitrary: managedRole }, { weight: 3, arbitrary: ordinaryRole }),
  fc.subarray(["student-system", "other"]),
);
const roleSet = fc.uniqueArray(role, { selector: ([r]) => r.name.toLowerCase(), minLength: 1, maxLength: 12 });

const matchArb = fc.oneof(
  fc.record({ all: fc.constant(true) }),
  fc.record({ prefix: fc.constantFrom("student-", "k18-", "AWS", "aws", "").filter((p) => p.length > 0) }),
  fc.record({ glob: fc.constantFrom("*", "student-*", "*Role*", "AWS*") }),
  fc.record({ tags: fc.constant({ workshop: "student-system" }) }),
  fc.record({ regex: fc.constantFrom(".*", "^student", "Service") }),
);
const entryArb: fc.Arbitrary<Entry> = fc
  .record(
    { match: matchArb, exclude: fc.option(fc.record({ prefix: fc.constant("student-keep-") }), { nil: undefined }) },
    { requiredKeys: ["match"] },
  )
  .map((e) => ({ type: "iam.role", match: e.match, ...(e.exclude ? { exclude: e.exclude } : {}) }));

describe("IAM safety through the engine", () => {
  it("plans no protected role for deletion, none that no selector matches, and apply deletes exactly the plan", async () => {
    await fc.assert(
      fc.asyncProperty(roleSet, fc.array(entryArb, { minLength: 1, maxLength: 3 }), async (roles, entries) => {
        iamMock.reset();
        const fake = new FakeIam();
        for (const [r, tags] of roles) {
          fake.addRole({
            name: r.name,
            path: r.path,
            serviceLinked: r.serviceLinked,
            trustPolicy: trustPolicyFor("lambda.amazonaws.com"),
            tags: tags.map((t) => ({ Key: "workshop", Value: t })),
          });
        }
        fake.install(iamMock);
        const clock = new VirtualClock();
        const engine = new EngineRun([iam], clock);
        const manifest = manifestOf(entries);
        const plan = await clock.run(engine.plan(manifest));
        const planned = new Map(plan.resources.map((r) => [r.found.name, r]));
        for (const r of plan.resources) {
          const facts = roles.find(([x]) => x.name === r.found.name)![0];
          if (mustSurvive(facts)) expect(r.action, r.found.name).toBe("protected");
          expect(
            manifest.entries.some((e) => selects(e, r.found, clock.now())),
            r.found.name,
          ).toBe(true);
        }
        await clock.run(engine.apply(plan));
        for (const [r] of roles) {
          const toDelete = planned.get(r.name)?.action === "delete";
          expect(fake.roles.has(r.name), r.name).toBe(!toDelete);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("runner plan with match: { all: true } lists AWS-managed roles as protected, and apply deletes none of them", async () => {
    mockClient(STSClient)
      .on(GetCallerIdentityCommand)
      .resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/t" });
    const fake = new FakeIam();
    fake.addRole({
      name: "AWSServiceRoleForAutoScaling",
      path: "/aws-service-role/autoscaling.amazonaws.com/",
      serviceLinked: true,
    });
    fake.addRole({ name: "AWSReservedSSO_Admin_0123", path: "/aws-reserved/sso.amazonaws.com/" });
    fake.addRole({ name: "OrganizationAccountAccessRole" });
    fake.addRole({ name: "student-lambda-execution-role" });
    fake.install(iamMock);
    const dir = await mkdtemp(join(tmpdir(), "iam-all-"));
    const manifest = join(dir, "m.yaml");
    await writeFile(
      manifest,
      "apiVersion: cleanup-runner/v1\nname: all-roles\ntarget: { regions: [us-east-1] }\nresources:\n  - { service: iam, type: role, match: { all: true } }\n",
    );
    const run = async (args: string[]) => {
      let out = "";
      const stdout = new PassThrough().on("data", (c: Buffer) => (out += c.toString()));
      const stderr = new PassThrough();
      const env = { ...process.env, AWS_ACCESS_KEY_ID: "t", AWS_SECRET_ACCESS_KEY: "t", NO_COLOR: "1" };
      const code = await runCli(args, { stdout, stderr, stdin: new PassThrough(), env }, new AbortController().signal);
      return { code, out };
    };
    const plan = await run(["plan", manifest, "--output", "json"]);
    expect(plan.code).toBe(0);
    const resources = JSON.parse(plan.out).resources as { found: { name: string }; action: string; reason?: string }[];
    const actions = Object.fromEntries(resources.map((r) => [r.found.name, r.action]));
    expect(actions).toEqual({
      AWSServiceRoleForAutoScaling: "protected",
      AWSReservedSSO_Admin_0123: "protected",
      OrganizationAccountAccessRole: "protected",
      "student-lambda-execution-role": "delete",
    });
    expect(resources.every((r) => r.action === "delete" || (r.reason ?? "").length > 10)).toBe(true);
    const apply = await run(["apply", manifest, "--yes"]);
    expect(apply.code).toBe(0);
    expect([...fake.roles.keys()].sort()).toEqual([
      "AWSReservedSSO_Admin_0123",
      "AWSServiceRoleForAutoScaling",
      "OrganizationAccountAccessRole",
    ]);
  });
});
