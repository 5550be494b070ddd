import {
  DeleteConflictException,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachRolePolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetPolicyCommand,
  IAMClient,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
} from "@aws-sdk/client-iam";
import {
  DependencyPendingError,
  NotFoundError,
  ProtectedError,
  ThrottledError,
  type Found,
} from "@cleanup-runner/plugin-kit";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { FakeIam } from "../testing/fake-iam.js";
import { recordRoleDeleted } from "../deleted-roles.js";
import { policy } from "./policy.js";

const iam = mockClient(IAMClient);
let fake: FakeIam;

const lambdaBasic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

function ctx() {
  return testContext({ resource: policy });
}

function sent(): string[] {
  return iam.calls().map((call) => (call.args[0] as object).constructor.name.replace(/Command$/, ""));
}

async function discovered(name: string): Promise<Found> {
  const found = (await collect(policy.discover(ctx(), {}))).find((f) => f.name === name);
  if (!found) throw new Error(`${name} not discovered`);
  return found;
}

/** A customer policy with three versions (v3 the default), attached to a role, a user and a group. */
function seedTableAccess(): string {
  const { arn } = fake.addPolicy({
    name: "student-dynamodb-access-policy",
    versionIds: ["v1", "v2", "v3"],
    defaultVersionId: "v3",
    tags: [{ Key: "workshop", Value: "student-system" }],
  });
  fake.addRole({ name: "student-dynamodb-access-role" });
  fake.attach(arn, { role: "student-dynamodb-access-role", user: "student-admin", group: "students" });
  return arn;
}

/** The policy as the plan holds it: described, frozen to JSON and read back. */
async function planned(name: string): Promise<Found> {
  const found = await policy.describe!(ctx(), await discovered(name));
  return JSON.parse(JSON.stringify(found)) as Found;
}

const deleteConflict = (message: string) => new DeleteConflictException({ message, $metadata: {} });

/**
 * The calls that detach a policy from one user and one group, delete its two
 * non-default versions, then delete it: the policy `seedTableAccess` adds, once
 * its role is dealt with.
 */
const detachesUserAndGroupThenDeletes = [
  "DetachUserPolicy",
  "DetachGroupPolicy",
  "DeletePolicyVersion",
  "DeletePolicyVersion",
  "DeletePolicy",
];

beforeEach(() => {
  iam.reset();
  fake = new FakeIam();
  fake.install(iam);
});

describe("discover", () => {
  it("lists customer-managed policies only (Scope=Local), every page, with what the engine needs", async () => {
    fake.maxPageSize = 2;
    fake.addPolicy({ name: "AWSLambdaBasicExecutionRole", arn: lambdaBasic, path: "/service-role/" });
    for (const n of ["a", "b", "c", "d", "e"]) fake.addPolicy({ name: `student-${n}` });

    const found = await collect(policy.discover(ctx(), {}));

    expect(found.map((f) => f.name)).toEqual(["student-a", "student-b", "student-c", "student-d", "student-e"]);
    expect(iam).toHaveReceivedCommandTimes(ListPoliciesCommand, 3);
    expect(iam).toHaveReceivedCommandWith(ListPoliciesCommand, { Scope: "Local", MaxItems: 1000 });
    expect(found[0]).toEqual({
      id: "arn:aws:iam::123456789012:policy/student-a",
      name: "student-a",
      arn: "arn:aws:iam::123456789012:policy/student-a",
      createdAt: "2024-01-02T03:04:05.000Z",
      details: {
        path: "/",
        policyId: "ANPASTUDENT-A",
        defaultVersionId: "v1",
        attachmentCount: 0,
        permissionsBoundaryUsageCount: 0,
      },
    });
    expect(found[0]!.tags).toBeUndefined();
  });

  it("reads tags with ListPolicyTags, every page", async () => {
    fake.maxPageSize = 1;
    fake.addPolicy({
      name: "p",
      tags: [
        { Key: "workshop", Value: "student-system" },
        { Key: "cohort", Value: "k18" },
      ],
    });
    expect(await policy.readTags!(ctx(), await discovered("p"))).toEqual({ workshop: "student-system", cohort: "k18" });
  });
});

describe("describe", () => {
  it("shows the attachments and the version count", async () => {
    seedTableAccess();
    const described = await policy.describe!(ctx(), await discovered("student-dynamodb-access-policy"));
    expect(described.children).toEqual([
      {
        kind: "attachments",
        count: 3,
        note: "roles: student-dynamodb-access-role; users: student-admin; groups: students",
      },
      { kind: "versions", count: 3, note: "default v3; also v1, v2" },
    ]);
    expect(described.notes).toEqual([
      "detached from 3 role(s)/user(s)/group(s) first: those that are not deleted in this run lose the permissions it grants",
    ]);
    expect(described.protectedReason).toBeUndefined();
    expect(JSON.parse(JSON.stringify(described))).toEqual(described);
  });

  it("warns when the policy is someone's permissions boundary", async () => {
    const { arn } = fake.addPolicy({ name: "boundary" });
    fake.addRole({ name: "bounded", permissionsBoundaryArn: arn });
    const described = await policy.describe!(ctx(), await discovered("boundary"));
    expect(described.notes?.join(" ")).toMatch(/permissions boundary of 1 user\(s\)\/role\(s\)/);
    expect(described.children).toEqual([{ kind: "versions", count: 1, note: "default v1" }]);
  });

  it("reads GetAccountAuthorizationDetails once, every page, for every policy it describes", async () => {
    fake.maxPageSize = 2;
    const arn = seedTableAccess();
    fake.addPolicy({ name: "student-other-policy" });
    fake.addPolicy({ name: "AWSLambdaBasicExecutionRole", arn: lambdaBasic });
    fake.attach(lambdaBasic, { role: "student-dynamodb-access-role" });
    const found = await collect(policy.discover(ctx(), {}));
    iam.resetHistory();

    const run = ctx();
    const described = await Promise.all(found.map((f) => policy.describe!(run, f)));

    // A role, a user, a group and 2 customer-managed policies, 2 a page.
    expect(iam).toHaveReceivedCommandTimes(GetAccountAuthorizationDetailsCommand, 3);
    expect(sent().every((c) => c === "GetAccountAuthorizationDetails")).toBe(true);
    expect(described.find((d) => d.id === arn)?.details).toMatchObject({
      attachments: { roles: ["student-dynamodb-access-role"], users: ["student-admin"], groups: ["students"] },
      versionIds: ["v1", "v2"],
    });
    expect(described.find((d) => d.name === "student-other-policy")?.details).toMatchObject({
      attachments: { roles: [], users: [], groups: [] },
      versionIds: [],
    });
  });

  it("reads one by one a policy made after the account's read", async () => {
    fake.addPolicy({ name: "early" });
    const run = ctx();
    await policy.describe!(run, await discovered("early"));
    fake.addPolicy({ name: "late" });
    const found = await discovered("late");
    iam.resetHistory();

    await policy.describe!(run, found);

    expect(sent().sort()).toEqual(["ListEntitiesForPolicy", "ListPolicyVersions"]);
  });
});

describe("delete", () => {
  it("detaches from the users and groups and deletes the versions the plan recorded, reading nothing", async () => {
    const { arn } = fake.addPolicy({ name: "p", versionIds: ["v1", "v2", "v3"], defaultVersionId: "v3" });
    fake.attach(arn, { user: "student-admin", group: "students" });
    const found = await planned("p");
    iam.resetHistory();

    await policy.delete(ctx(), found);

    expect(sent()).toEqual(detachesUserAndGroupThenDeletes);
    expect(iam).toHaveReceivedCommandWith(DeletePolicyVersionCommand, { PolicyArn: arn, VersionId: "v1" });
    expect(iam).toHaveReceivedCommandWith(DeletePolicyVersionCommand, { PolicyArn: arn, VersionId: "v2" });
    expect(fake.policies.has(arn)).toBe(false);
  });

  it("when the plan saw roles holding it, reads the attachments once: the roles of the run detached it first", async () => {
    const arn = seedTableAccess();
    const found = await planned("student-dynamodb-access-policy");
    // What the role's own delete does before this type starts.
    fake.roles.delete("student-dynamodb-access-role");
    iam.resetHistory();

    await policy.delete(ctx(), found);

    expect(sent()).toEqual(["ListEntitiesForPolicy", ...detachesUserAndGroupThenDeletes]);
    expect(iam).toHaveReceivedCommandWith(ListEntitiesForPolicyCommand, { PolicyUsageFilter: "PermissionsPolicy" });
    expect(iam).not.toHaveReceivedCommand(DetachRolePolicyCommand);
    expect(fake.policies.has(arn)).toBe(false);
  });

  it("reads nothing of who holds it when the roles the plan saw were deleted by this run", async () => {
    const arn = seedTableAccess();
    const found = await planned("student-dynamodb-access-policy");
    const context = ctx();
    // What the role's delete does, and records once DeleteRole succeeded, on the run's IAM client.
    fake.roles.delete("student-dynamodb-access-role");
    recordRoleDeleted(context.client(IAMClient), "student-dynamodb-access-role");
    iam.resetHistory();

    await policy.delete(context, found);

    expect(sent()).toEqual(detachesUserAndGroupThenDeletes);
    expect(fake.policies.has(arn)).toBe(false);
  });

  it("detaches it from a role outside the run that still holds it", async () => {
    const arn = seedTableAccess();
    const found = await planned("student-dynamodb-access-policy");
    iam.resetHistory();

    await policy.delete(ctx(), found);

    expect(sent()).toEqual(["ListEntitiesForPolicy", "DetachRolePolicy", ...detachesUserAndGroupThenDeletes]);
    expect(fake.policies.has(arn)).toBe(false);
    expect(fake.roles.has("student-dynamodb-access-role")).toBe(true);
  });

  it("reads attachments and versions fresh when the plan holds none (a plan file from an older version)", async () => {
    const arn = seedTableAccess();
    await policy.delete(ctx(), await discovered("student-dynamodb-access-policy"));

    expect(sent().slice(1)).toEqual([
      "ListEntitiesForPolicy",
      "ListPolicyVersions",
      "DetachRolePolicy",
      ...detachesUserAndGroupThenDeletes,
    ]);
    expect(fake.policies.has(arn)).toBe(false);
  });

  it("reads fresh and attempts once more when DeletePolicy refuses for a version made since the plan", async () => {
    const { arn } = fake.addPolicy({ name: "p", versionIds: ["v1", "v2"], defaultVersionId: "v2" });
    const found = await planned("p");
    fake.policies.get(arn)!.versionIds.push("v3");
    iam.resetHistory();

    await policy.delete(ctx(), found);

    expect(sent()).toEqual([
      "DeletePolicyVersion",
      "DeletePolicy",
      "ListEntitiesForPolicy",
      "ListPolicyVersions",
      "DeletePolicyVersion",
      "DeletePolicy",
    ]);
    expect(iam).toHaveReceivedCommandWith(DeletePolicyVersionCommand, { PolicyArn: arn, VersionId: "v3" });
    expect(fake.policies.has(arn)).toBe(false);
  });

  it("reads fresh and attempts once more when a version the plan recorded was made the default since", async () => {
    const { arn } = fake.addPolicy({ name: "p", versionIds: ["v1", "v2"], defaultVersionId: "v2" });
    const found = await planned("p");
    // Rolled back to v1 after the plan: IAM refuses to delete a default version.
    fake.policies.get(arn)!.defaultVersionId = "v1";
    iam.resetHistory();

    await policy.delete(ctx(), found);

    expect(sent()).toEqual([
      "DeletePolicyVersion",
      "ListEntitiesForPolicy",
      "ListPolicyVersions",
      "DeletePolicyVersion",
      "DeletePolicy",
    ]);
    expect(iam.commandCalls(DeletePolicyVersionCommand).map((c) => c.args[0].input.VersionId)).toEqual(["v1", "v2"]);
    expect(fake.policies.has(arn)).toBe(false);
  });

  it("follows every page of attachments and versions", async () => {
    fake.maxPageSize = 2;
    const versionIds = ["v1", "v2", "v3", "v4", "v5"];
    const { arn } = fake.addPolicy({ name: "big", versionIds, defaultVersionId: "v5" });
    for (const n of ["r1", "r2", "r3", "r4", "r5"]) {
      fake.addRole({ name: n });
      fake.attach(arn, { role: n });
    }
    await policy.delete(ctx(), await discovered("big"));
    expect(fake.policies.has(arn)).toBe(false);
    expect(iam).toHaveReceivedCommandTimes(ListEntitiesForPolicyCommand, 3);
    expect(iam).toHaveReceivedCommandTimes(ListPolicyVersionsCommand, 3);
  });

  it("never lifts the boundary of an entity it does not delete: DeletePolicy waits (DependencyPending)", async () => {
    // DeletePolicy refused while the policy is still in use as a boundary.
    const { arn } = fake.addPolicy({ name: "boundary" });
    fake.addRole({ name: "bounded", permissionsBoundaryArn: arn });
    const found = await planned("boundary");
    iam.on(DeletePolicyCommand).rejects(deleteConflict("Cannot delete a policy attached to entities."));
    iam.resetHistory();

    const error = await policy.delete(ctx(), found).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DependencyPendingError);
    expect((error as DependencyPendingError).retryable).toBe(true);
    // The fresh read after the first refusal finds nothing to undo; the second refusal goes to the engine.
    expect(sent()).toEqual(["DeletePolicy", "ListEntitiesForPolicy", "ListPolicyVersions", "DeletePolicy"]);
    expect(fake.roles.get("bounded")?.permissionsBoundaryArn).toBe(arn);
  });

  it("reports NotFound on a second run of a plan that saw roles, after one read", async () => {
    seedTableAccess();
    const found = await planned("student-dynamodb-access-policy");
    await policy.delete(ctx(), found);
    iam.resetHistory();
    await expect(policy.delete(ctx(), found)).rejects.toBeInstanceOf(NotFoundError);
    expect(sent()).toEqual(["ListEntitiesForPolicy"]);
  });

  it("reports NotFound on a second run of a plan without roles: each removal finds nothing, then DeletePolicy", async () => {
    const { arn } = fake.addPolicy({ name: "p", versionIds: ["v1", "v2"], defaultVersionId: "v2" });
    fake.attach(arn, { user: "student-admin" });
    const found = await planned("p");
    await policy.delete(ctx(), found);
    iam.resetHistory();
    await expect(policy.delete(ctx(), found)).rejects.toBeInstanceOf(NotFoundError);
    expect(sent()).toEqual(["DetachUserPolicy", "DeletePolicyVersion", "DeletePolicy"]);
  });

  it("is safe after a partial attempt that detached some entities and failed", async () => {
    const arn = seedTableAccess();
    const found = await planned("student-dynamodb-access-policy");
    iam.on(DeletePolicyVersionCommand).rejectsOnce(Object.assign(new Error("Rate exceeded"), { name: "Throttling" }));
    await expect(policy.delete(ctx(), found)).rejects.toBeInstanceOf(ThrottledError);
    expect(fake.attachmentsOf(arn)).toEqual([]);

    fake.install(iam);
    await policy.delete(ctx(), found);
    expect(fake.policies.has(arn)).toBe(false);
  });

  it("refuses an AWS-managed policy without a call", async () => {
    fake.addPolicy({ name: "AWSLambdaBasicExecutionRole", arn: lambdaBasic });
    fake.addRole({ name: "someone" });
    fake.attach(lambdaBasic, { role: "someone" });
    const found: Found = { id: lambdaBasic, name: "AWSLambdaBasicExecutionRole", arn: lambdaBasic };
    await expect(policy.delete(ctx(), found)).rejects.toBeInstanceOf(ProtectedError);
    expect(sent()).toEqual([]);
    expect(fake.attachmentsOf(lambdaBasic)).toEqual(["role/someone"]);
  });
});

describe("verify", () => {
  it("says present, then gone", async () => {
    const { arn, name } = fake.addPolicy({ name: "p" });
    const found = await discovered(name);
    expect(await policy.verify(ctx(), found)).toBe("present");
    await policy.delete(ctx(), found);
    expect(await policy.verify(ctx(), found)).toBe("gone");
    expect(iam).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: arn });
  });
});

describe("protection", () => {
  it("protects every AWS-managed policy ARN, in every partition, and no customer one", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,20}$/);
    fc.assert(
      fc.property(
        fc.constantFrom("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"),
        fc.array(segment, { maxLength: 2 }),
        segment,
        fc.stringMatching(/^\d{12}$/),
        (partition, dirs, name, account) => {
          const path = `/${dirs.map((d) => `${d}/`).join("")}`;
          const managed = `arn:${partition}:iam::aws:policy${path}${name}`;
          const customer = `arn:${partition}:iam::${account}:policy${path}${name}`;
          expect(policy.protectedReason!({ id: managed, name, arn: managed })).toMatch(/AWS-managed policy/);
          expect(policy.protectedReason!({ id: customer, name, arn: customer })).toBeUndefined();
        },
      ),
      { numRuns: 500 },
    );
  });

  it("goes after the roles of the run and after every other type", () => {
    expect(policy.scope).toBe("global");
    expect(policy.dependsOn).toEqual(["*", "iam.role"]);
  });
});
