import {
  DeleteConflictException,
  DeleteInstanceProfileCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetRoleCommand,
  IAMClient,
  ListRolePoliciesCommand,
  ListRolesCommand,
  UnmodifiableEntityException,
} from "@aws-sdk/client-iam";
import {
  AccessDeniedError,
  DependencyPendingError,
  NotFoundError,
  ProtectedError,
  ThrottledError,
  type Found,
} from "@cleanup-runner/plugin-kit";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { FakeIam, trustPolicyFor } from "../testing/fake-iam.js";
import { roleDeletedInRun } from "../deleted-roles.js";
import { role } from "./role.js";

type Options = Parameters<typeof role.delete>[0]["options"];

const iam = mockClient(IAMClient);
let fake: FakeIam;

const lambdaBasic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
const tableAccess = "arn:aws:iam::123456789012:policy/student-dynamodb-access-policy";
const boundary = "arn:aws:iam::123456789012:policy/workshop-boundary";

function ctx(options: Partial<Options> = {}) {
  return testContext<Options>({ resource: role, options });
}

/** The names of the commands sent, in order. */
function sent(): string[] {
  return iam.calls().map((call) => (call.args[0] as object).constructor.name.replace(/Command$/, ""));
}

/** A role with everything a delete has to undo. */
function seedLambdaRole(): void {
  fake.addPolicy({ name: "AWSLambdaBasicExecutionRole", arn: lambdaBasic, path: "/service-role/" });
  fake.addPolicy({ name: "student-dynamodb-access-policy" });
  fake.addRole({
    name: "student-lambda-execution-role",
    inlinePolicies: ["logs", "ses-send"],
    attachedPolicyArns: [lambdaBasic, tableAccess],
    permissionsBoundaryArn: boundary,
    tags: [{ Key: "workshop", Value: "student-system" }],
  });
  fake.addInstanceProfile({ name: "student-profile", roleNames: ["student-lambda-execution-role"] });
}

async function discovered(name: string, options: Partial<Options> = {}): Promise<Found> {
  const all = await collect(role.discover(ctx(options), {}));
  const found = all.find((f) => f.name === name);
  if (!found) throw new Error(`${name} not discovered`);
  return found;
}

/** The role as the plan holds it: described, frozen to JSON and read back. */
async function planned(name: string, options: Partial<Options> = {}): Promise<Found> {
  const found = await role.describe!(ctx(options), await discovered(name, options));
  return JSON.parse(JSON.stringify(found)) as Found;
}

const deleteConflict = (message: string) => new DeleteConflictException({ message, $metadata: {} });

/** The four reads of a role at delete when the plan holds none of what it owns, or after a refusal. */
const freshReads = ["GetRole", "ListRolePolicies", "ListAttachedRolePolicies", "ListInstanceProfilesForRole"];

/** The calls that delete the role `seedLambdaRole` adds, with its two inline and two attached policies and its profile. */
const deletesAllTheLambdaRoleHolds = [
  "DeleteRolePolicy",
  "DeleteRolePolicy",
  "DetachRolePolicy",
  "DetachRolePolicy",
  "RemoveRoleFromInstanceProfile",
  "DeleteInstanceProfile",
  "DeleteRole",
];

/**
 * Deletes the role from a plan whose record cannot be used, expecting the
 * AWS-managed rules to refuse it on the fresh read, before anything is undone
 * (the role was added with the inline policy "x").
 */
async function expectRefusedOnFreshRead(plan: Found): Promise<void> {
  iam.resetHistory();
  await expect(role.delete(ctx(), plan)).rejects.toBeInstanceOf(ProtectedError);
  expect(sent()).toEqual(freshReads);
  expect(fake.roles.get(plan.id)?.inlinePolicies).toEqual(["x"]);
}

beforeEach(() => {
  iam.reset();
  fake = new FakeIam();
  fake.install(iam);
});

describe("discover", () => {
  it("follows every page and yields what the engine needs, with the trust policy decoded", async () => {
    fake.maxPageSize = 2;
    for (const n of ["a", "b", "c", "d", "e"]) fake.addRole({ name: `student-${n}` });
    fake.addRole({ name: "svc", path: "/aws-service-role/support.amazonaws.com/", serviceLinked: true });

    const found = await collect(role.discover(ctx(), {}));

    expect(found.map((f) => f.name)).toEqual(["student-a", "student-b", "student-c", "student-d", "student-e", "svc"]);
    expect(iam).toHaveReceivedCommandTimes(ListRolesCommand, 3);
    expect(iam).toHaveReceivedCommandWith(ListRolesCommand, { PathPrefix: "/", MaxItems: 1000 });
    expect(found[0]).toEqual({
      id: "student-a",
      name: "student-a",
      arn: "arn:aws:iam::123456789012:role/student-a",
      createdAt: "2024-01-02T03:04:05.000Z",
      details: { path: "/", roleId: "AROASTUDENT-A", trustPolicy: trustPolicyFor("lambda.amazonaws.com") },
    });
    // ListRoles returns no tags: undefined makes the engine call readTags.
    expect(found[0]!.tags).toBeUndefined();
  });

  it("pushes the pathPrefix option down to ListRoles", async () => {
    fake.addRole({ name: "in-workshop", path: "/workshop/" });
    fake.addRole({ name: "elsewhere" });
    const found = await collect(role.discover(ctx({ pathPrefix: "/workshop/" }), { prefix: "in-" }));
    expect(found.map((f) => f.name)).toEqual(["in-workshop"]);
    expect(iam).toHaveReceivedCommandWith(ListRolesCommand, { PathPrefix: "/workshop/" });
  });

  it("yields AWS-managed roles too: protection is decided by protectedReason, not by hiding them", async () => {
    fake.addRole({ name: "AWSServiceRoleForSupport", path: "/aws-service-role/support.amazonaws.com/" });
    fake.addRole({ name: "student-appsync-role" });
    const found = await collect(role.discover(ctx(), {}));
    expect(found.map((f) => [f.name, role.protectedReason!(f) !== undefined])).toEqual([
      ["AWSServiceRoleForSupport", true],
      ["student-appsync-role", false],
    ]);
  });
});

describe("readTags", () => {
  it("reads every page of ListRoleTags", async () => {
    fake.maxPageSize = 1;
    fake.addRole({
      name: "r",
      tags: [
        { Key: "workshop", Value: "student-system" },
        { Key: "owner", Value: "k18" },
      ],
    });
    expect(await role.readTags!(ctx(), await discovered("r"))).toEqual({ workshop: "student-system", owner: "k18" });
  });
});

describe("describe", () => {
  it("shows inline policies, attachments (AWS-managed ones detached only) and instance profiles", async () => {
    seedLambdaRole();
    const described = await role.describe!(ctx(), await discovered("student-lambda-execution-role"));

    expect(described.children).toEqual([
      { kind: "inline policies", count: 2, note: "logs, ses-send" },
      {
        kind: "attached managed policies",
        count: 2,
        note: "AWSLambdaBasicExecutionRole (AWS-managed, detached only), student-dynamodb-access-policy (detached)",
      },
      { kind: "instance profiles", count: 1, note: "student-profile (deleted)" },
    ]);
    expect(described.notes).toEqual([
      "customer-managed policies student-dynamodb-access-policy are only detached: they stay unless an iam.policy entry selects them",
    ]);
    expect(described.protectedReason).toBeUndefined();
    expect(described.details).toMatchObject({
      path: "/",
      instanceProfiles: [{ name: "student-profile", roleNames: ["student-lambda-execution-role"] }],
    });
    // The plan is frozen to JSON and read back.
    expect(JSON.parse(JSON.stringify(described))).toEqual(described);
  });

  it("says which instance profiles stay behind when deleteInstanceProfiles is false", async () => {
    seedLambdaRole();
    const options = { deleteInstanceProfiles: false };
    const described = await role.describe!(ctx(options), await discovered("student-lambda-execution-role"));
    expect(described.children?.at(-1)).toEqual({
      kind: "instance profiles",
      count: 1,
      note: "student-profile (role removed, kept)",
    });
    expect(described.notes).toContain(
      "instance profiles student-profile stay behind, empty (deleteInstanceProfiles: false)",
    );
  });

  it("protects a role that only services may assume and that carries a service-linked-role policy", async () => {
    fake.addRole({
      name: "eks-odd-path",
      trustPolicy: trustPolicyFor("eks.amazonaws.com"),
      attachedPolicyArns: ["arn:aws:iam::aws:policy/aws-service-role/AmazonEKSServiceRolePolicy"],
    });
    const found = await discovered("eks-odd-path");
    expect(role.protectedReason!(found)).toBeUndefined();
    const described = await role.describe!(ctx(), found);
    expect(described.protectedReason).toMatch(/service-linked role/);
    expect(role.protectedReason!(described)).toBe(described.protectedReason);
  });
});

describe("describe, from one read of the account", () => {
  it("reads GetAccountAuthorizationDetails once, every page, for every role it describes", async () => {
    fake.maxPageSize = 2;
    seedLambdaRole();
    for (const n of ["a", "b", "c"]) fake.addRole({ name: `student-${n}`, inlinePolicies: [`${n}-logs`] });
    const found = await collect(role.discover(ctx(), {}));
    iam.resetHistory();

    // The engine builds one client a run: the read is shared by every describe.
    const run = ctx();
    const described = await Promise.all(found.map((f) => role.describe!(run, f)));

    // 4 roles and 2 customer-managed policies, 2 a page; the AWS-managed policy is not asked for.
    expect(iam).toHaveReceivedCommandTimes(GetAccountAuthorizationDetailsCommand, 3);
    expect(iam).toHaveReceivedCommandWith(GetAccountAuthorizationDetailsCommand, {
      Filter: ["Role", "User", "Group", "LocalManagedPolicy"],
      MaxItems: 1000,
    });
    expect(sent().every((c) => c === "GetAccountAuthorizationDetails")).toBe(true);
    expect(described.find((d) => d.name === "student-b")?.details).toMatchObject({
      inlinePolicyNames: ["b-logs"],
      attachedPolicies: [],
      instanceProfiles: [],
    });
    expect(described.find((d) => d.name === "student-lambda-execution-role")?.details).toMatchObject({
      inlinePolicyNames: ["logs", "ses-send"],
      attachedPolicies: [
        { name: "AWSLambdaBasicExecutionRole", arn: lambdaBasic },
        { name: "student-dynamodb-access-policy", arn: tableAccess },
      ],
      instanceProfiles: [{ name: "student-profile", roleNames: ["student-lambda-execution-role"] }],
    });
  });

  it("reads role by role, asking once, when the credentials may not read the account's details", async () => {
    fake.addRole({ name: "a", inlinePolicies: ["x"] });
    fake.addRole({ name: "b" });
    iam.on(GetAccountAuthorizationDetailsCommand).rejects(
      Object.assign(new Error("not authorized to perform: iam:GetAccountAuthorizationDetails"), {
        name: "AccessDenied",
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const found = await collect(role.discover(ctx(), {}));
    iam.resetHistory();

    const run = ctx();
    const described = await Promise.all(found.map((f) => role.describe!(run, f)));

    expect(iam).toHaveReceivedCommandTimes(GetAccountAuthorizationDetailsCommand, 1);
    expect(iam).toHaveReceivedCommandTimes(ListRolePoliciesCommand, 2);
    expect(described.map((d) => d.details?.inlinePolicyNames)).toEqual([["x"], []]);
  });

  it("reads one by one a role made after the account's read", async () => {
    fake.addRole({ name: "early" });
    const run = ctx();
    await role.describe!(run, await discovered("early"));
    fake.addRole({ name: "late", inlinePolicies: ["x"] });
    const found = await discovered("late");
    iam.resetHistory();

    const described = await role.describe!(run, found);

    expect(sent()).toEqual(["ListRolePolicies", "ListAttachedRolePolicies", "ListInstanceProfilesForRole"]);
    expect(described.details).toMatchObject({ inlinePolicyNames: ["x"] });
  });
});

describe("delete", () => {
  it("deletes inline policies, detaches policies, leaves and deletes the profile, then the role, as the plan recorded, reading nothing", async () => {
    seedLambdaRole();
    const found = await planned("student-lambda-execution-role");
    iam.resetHistory();
    const context = ctx();

    await role.delete(context, found);

    // for the policy deletes that follow: this role holds nothing any more
    expect(roleDeletedInRun(context.client(IAMClient), "student-lambda-execution-role")).toBe(true);
    expect(sent()).toEqual(deletesAllTheLambdaRoleHolds);
    expect(fake.roles.has("student-lambda-execution-role")).toBe(false);
    expect(fake.profiles.has("student-profile")).toBe(false);
    // DeleteRole does not refuse a role with a permissions boundary: the setting goes with it, never lifted first.
    expect(iam).not.toHaveReceivedCommand(DeleteRolePermissionsBoundaryCommand);
    // Policies are only detached, never deleted: AWS-managed and customer-managed alike.
    expect(iam).not.toHaveReceivedCommand(DeletePolicyCommand);
    expect(fake.policies.has(lambdaBasic)).toBe(true);
    expect(fake.policies.has(tableAccess)).toBe(true);
    expect(fake.attachmentsOf(lambdaBasic)).toEqual([]);
  });

  it("reads what the role owns fresh when the plan holds none of it (a plan file from an older version)", async () => {
    seedLambdaRole();
    const found = await discovered("student-lambda-execution-role");
    iam.resetHistory();

    await role.delete(ctx(), found);

    expect(sent()).toEqual([...freshReads, ...deletesAllTheLambdaRoleHolds]);
    expect(fake.roles.size).toBe(0);
  });

  it("reads fresh and attempts once more when DeleteRole refuses for something the plan did not see", async () => {
    seedLambdaRole();
    const found = await planned("student-lambda-execution-role");
    fake.roles.get("student-lambda-execution-role")!.inlinePolicies.push("added-since-the-plan");
    iam.resetHistory();

    await role.delete(ctx(), found);

    expect(sent()).toEqual([...deletesAllTheLambdaRoleHolds, ...freshReads, "DeleteRolePolicy", "DeleteRole"]);
    expect(iam).toHaveReceivedCommandWith(DeleteRolePolicyCommand, { PolicyName: "added-since-the-plan" });
    expect(fake.roles.size).toBe(0);
  });

  it("after a second refusal (IAM not yet seeing the detach), stays retryable", async () => {
    fake.addRole({ name: "r", attachedPolicyArns: [lambdaBasic] });
    const found = await planned("r");
    iam.on(DeleteRoleCommand).rejects(deleteConflict("Cannot delete entity, must detach all policies first."));
    iam.resetHistory();

    const error = await role.delete(ctx(), found).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DependencyPendingError);
    expect((error as DependencyPendingError).retryable).toBe(true);
    expect(sent()).toEqual(["DetachRolePolicy", "DeleteRole", ...freshReads, "DeleteRole"]);
  });

  it("keeps the emptied instance profile when deleteInstanceProfiles is false", async () => {
    seedLambdaRole();
    await role.delete(ctx({ deleteInstanceProfiles: false }), await discovered("student-lambda-execution-role"));
    expect(iam).not.toHaveReceivedCommand(DeleteInstanceProfileCommand);
    expect(fake.profiles.get("student-profile")?.roleNames).toEqual([]);
    expect(fake.roles.size).toBe(0);
  });

  it("never deletes a profile that still holds another role", async () => {
    fake.addRole({ name: "mine" });
    fake.addRole({ name: "theirs" });
    fake.addInstanceProfile({ name: "shared", roleNames: ["mine", "theirs"] });
    await role.delete(ctx(), await discovered("mine"));
    expect(fake.profiles.get("shared")?.roleNames).toEqual(["theirs"]);
  });

  it("follows every page of what the role owns", async () => {
    fake.maxPageSize = 2;
    const inline = ["p1", "p2", "p3", "p4", "p5"];
    fake.addRole({
      name: "big",
      inlinePolicies: [...inline],
      attachedPolicyArns: [lambdaBasic, tableAccess, boundary],
    });
    await role.delete(ctx(), await discovered("big"));
    expect(fake.roles.has("big")).toBe(false);
    expect(iam).toHaveReceivedCommandTimes(ListRolePoliciesCommand, 3);
  });

  it("reports NotFound on a second run of the same plan: each removal finds nothing, then DeleteRole", async () => {
    seedLambdaRole();
    const found = await planned("student-lambda-execution-role");
    await role.delete(ctx(), found);
    iam.resetHistory();

    await expect(role.delete(ctx(), found)).rejects.toBeInstanceOf(NotFoundError);
    expect(sent()).toEqual(deletesAllTheLambdaRoleHolds);
  });

  it("reports NotFound from the fresh read when the plan holds none of what it owns", async () => {
    fake.addRole({ name: "r" });
    const found = await discovered("r");
    await role.delete(ctx(), found);
    iam.resetHistory();

    await expect(role.delete(ctx(), found)).rejects.toBeInstanceOf(NotFoundError);
    expect(sent()).toEqual(freshReads);
  });

  it("after a partial attempt, still deletes the profile it emptied (found from the plan)", async () => {
    seedLambdaRole();
    const found = await role.describe!(ctx(), await discovered("student-lambda-execution-role"));
    // Right after RemoveRoleFromInstanceProfile, IAM can still see the role in it.
    iam
      .on(DeleteInstanceProfileCommand)
      .rejectsOnce(new DeleteConflictException({ message: "Cannot delete entity, must remove roles", $metadata: {} }));

    iam.resetHistory();

    await expect(role.delete(ctx(), found)).rejects.toBeInstanceOf(DependencyPendingError);
    expect(fake.profiles.get("student-profile")?.roleNames).toEqual([]);
    // A refused child removal is not DeleteRole refusing: the role is not read again, only the profile (to tell
    // IAM's delay from another role put in it, which it is not), and the engine retries.
    expect(sent().filter((c) => c.startsWith("List") || c.startsWith("Get"))).toEqual(["GetInstanceProfile"]);

    fake.install(iam);
    await role.delete(ctx(), found);
    expect(fake.profiles.has("student-profile")).toBe(false);
    expect(fake.roles.size).toBe(0);
  });

  it("never deletes an empty profile that a damaged plan lists without the role in it", async () => {
    fake.addRole({ name: "r" });
    fake.addInstanceProfile({ name: "theirs" });
    const found = await planned("r");
    const damaged: Found = {
      ...found,
      details: { ...found.details, instanceProfiles: [{ name: "theirs", roleNames: [] }] },
    };
    iam.resetHistory();

    await role.delete(ctx(), damaged);

    // Read fresh, as for a plan without the profiles: r is in none, and "theirs" was never its.
    expect(sent()).toEqual([...freshReads, "DeleteRole"]);
    expect(fake.profiles.has("theirs")).toBe(true);
    expect(fake.roles.has("r")).toBe(false);
  });

  it("keeps a planned profile that holds another role since the plan, and deletes the role", async () => {
    fake.addRole({ name: "r" });
    fake.addRole({ name: "other" });
    fake.addInstanceProfile({ name: "p", roleNames: ["r"] });
    const found = await planned("r");
    // Since the plan, r was taken out of the profile and another role put in.
    fake.profiles.get("p")!.roleNames.splice(0, 1, "other");
    iam.resetHistory();

    await role.delete(ctx(), found);

    expect(sent()).toEqual([
      "RemoveRoleFromInstanceProfile",
      "DeleteInstanceProfile",
      "GetInstanceProfile",
      "DeleteRole",
    ]);
    expect(fake.profiles.get("p")?.roleNames).toEqual(["other"]);
    expect(fake.roles.has("r")).toBe(false);
  });

  it("from a plan without what the role owns, still deletes a profile an earlier attempt emptied", async () => {
    seedLambdaRole();
    const found = await planned("student-lambda-execution-role");
    const olderPlan: Found = {
      ...found,
      details: { ...found.details, inlinePolicyNames: undefined, attachedPolicies: undefined },
    };
    iam
      .on(DeleteInstanceProfileCommand)
      .rejectsOnce(new DeleteConflictException({ message: "Cannot delete entity, must remove roles", $metadata: {} }));
    await expect(role.delete(ctx(), olderPlan)).rejects.toBeInstanceOf(DependencyPendingError);

    fake.install(iam);
    iam.resetHistory();
    await role.delete(ctx(), olderPlan);

    // The role is no longer in the profile: only the plan knows of it, and a fresh read finds it empty.
    expect(sent()).toEqual([...freshReads, "GetInstanceProfile", "DeleteInstanceProfile", "DeleteRole"]);
    expect(fake.profiles.has("student-profile")).toBe(false);
    expect(fake.roles.size).toBe(0);
  });

  it("classifies DeleteConflict from DeleteRole (eventual consistency after a detach) as retryable", async () => {
    fake.addRole({ name: "r", attachedPolicyArns: [lambdaBasic] });
    iam.on(DeleteRoleCommand).rejectsOnce(
      new DeleteConflictException({
        message: "Cannot delete entity, must detach all policies first.",
        $metadata: {},
      }),
    );
    const error = await role.delete(ctx(), await discovered("r")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyPendingError);
    expect((error as DependencyPendingError).retryable).toBe(true);
  });

  // aws-sdk-client-mock counts calls per command since the fake was installed:
  // a "once" answer must be set before the first call of its command.
  it("classifies throttling", async () => {
    fake.addRole({ name: "r" });
    iam
      .on(ListRolePoliciesCommand)
      .rejectsOnce(
        Object.assign(new Error("Rate exceeded"), { name: "Throttling", $metadata: { httpStatusCode: 400 } }),
      );
    const error = await role.delete(ctx(), await discovered("r")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottledError);
    expect(fake.roles.has("r")).toBe(true);
  });

  it("classifies access denied, naming the action", async () => {
    fake.addRole({ name: "r" });
    iam.on(GetRoleCommand).rejectsOnce(
      Object.assign(new Error("User: x is not authorized to perform: iam:GetRole on resource: role r"), {
        name: "AccessDenied",
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const denied = await role.delete(ctx(), await discovered("r")).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(AccessDeniedError);
    expect((denied as AccessDeniedError).action).toBe("iam:GetRole");
  });

  it("refuses an AWS-managed role before any call, by the name it deletes, whatever label the plan gives it", async () => {
    fake.addRole({
      name: "AWSServiceRoleForSupport",
      path: "/aws-service-role/support.amazonaws.com/",
      attachedPolicyArns: ["arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy"],
      serviceLinked: true,
    });
    // A hand-edited plan that hides the path and relabels the role.
    const tampered: Found = {
      id: "AWSServiceRoleForSupport",
      name: "Support",
      details: {
        path: "/",
        trustPolicy: trustPolicyFor("support.amazonaws.com"),
        inlinePolicyNames: [],
        attachedPolicies: [],
        instanceProfiles: [],
      },
    };
    await expect(role.delete(ctx(), tampered)).rejects.toBeInstanceOf(ProtectedError);
    expect(sent()).toEqual([]);
  });

  it("reads the role fresh, and refuses it by its live path, when the plan's path is not an IAM path", async () => {
    fake.addRole({ name: "identity-center-admin", path: "/aws-reserved/sso.amazonaws.com/", inlinePolicies: ["x"] });
    const found = await planned("identity-center-admin");
    // A damaged plan file: the rules would see no /aws-reserved/ path in it.
    const damaged: Found = { ...found, details: { ...found.details, path: "" } };
    await expectRefusedOnFreshRead(damaged);
  });

  it("reads the role fresh, and refuses it by its live trust policy, when the plan's is not a policy document", async () => {
    const identityCenterTrust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: "arn:aws:iam::123456789012:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE" },
          Action: ["sts:AssumeRoleWithSAML", "sts:TagSession"],
        },
      ],
    });
    fake.addRole({ name: "people-admin", trustPolicy: identityCenterTrust, inlinePolicies: ["x"] });
    const found = await planned("people-admin");
    // A damaged plan file (truncated): no rule can match a trust policy that does not parse.
    const damaged: Found = { ...found, details: { ...found.details, trustPolicy: '{"Version": "2012-10-17", "Sta' } };
    await expectRefusedOnFreshRead(damaged);
  });

  it("refuses by the live path when the plan holds none of what the role owns", async () => {
    fake.addRole({ name: "identity-center-admin", path: "/aws-reserved/sso.amazonaws.com/", inlinePolicies: ["x"] });
    const hidden: Found = { id: "identity-center-admin", name: "identity-center-admin", details: { path: "/" } };
    await expectRefusedOnFreshRead(hidden);
  });

  it("refuses a role the plan shows carrying a service-linked-role policy, before any call", async () => {
    fake.addRole({
      name: "eks-odd-path",
      trustPolicy: trustPolicyFor("eks.amazonaws.com"),
      inlinePolicies: ["x"],
      attachedPolicyArns: ["arn:aws:iam::aws:policy/aws-service-role/AmazonEKSServiceRolePolicy"],
    });
    const found = await planned("eks-odd-path");
    iam.resetHistory();
    await expect(role.delete(ctx(), found)).rejects.toBeInstanceOf(ProtectedError);
    expect(sent()).toEqual([]);
  });

  it("runs the AWS-managed rules again on the fresh read after a refusal", async () => {
    const slrPolicy = "arn:aws:iam::aws:policy/aws-service-role/AmazonEKSServiceRolePolicy";
    fake.addRole({ name: "eks-odd-path", trustPolicy: trustPolicyFor("eks.amazonaws.com"), inlinePolicies: ["x"] });
    const found = await planned("eks-odd-path");
    // Attached after the plan: DeleteRole refuses, and the fresh read sees it.
    fake.roles.get("eks-odd-path")!.attachedPolicyArns.push(slrPolicy);
    iam.resetHistory();

    await expect(role.delete(ctx(), found)).rejects.toBeInstanceOf(ProtectedError);
    expect(sent()).toEqual(["DeleteRolePolicy", "DeleteRole", ...freshReads]);
    expect(iam).not.toHaveReceivedCommand(DetachRolePolicyCommand);
    expect(fake.roles.get("eks-odd-path")?.attachedPolicyArns).toEqual([slrPolicy]);
  });

  it("refuses a role that carries a service-linked-role policy, before detaching it", async () => {
    fake.addRole({
      name: "eks-odd-path",
      trustPolicy: trustPolicyFor("eks.amazonaws.com"),
      inlinePolicies: ["x"],
      attachedPolicyArns: ["arn:aws:iam::aws:policy/aws-service-role/AmazonEKSServiceRolePolicy"],
    });
    await expect(role.delete(ctx(), await discovered("eks-odd-path"))).rejects.toBeInstanceOf(ProtectedError);
    expect(sent().filter((c) => !c.startsWith("List") && !c.startsWith("Get"))).toEqual([]);
    expect(fake.roles.get("eks-odd-path")?.inlinePolicies).toEqual(["x"]);
  });

  it("turns IAM's UnmodifiableEntity into Protected, never retried", async () => {
    fake.addRole({ name: "linked-under-a-plain-name", serviceLinked: true });
    iam.on(DeleteRoleCommand).rejects(
      new UnmodifiableEntityException({
        message: "Cannot perform the operation on the protected role",
        $metadata: {},
      }),
    );
    const error = await role.delete(ctx(), await discovered("linked-under-a-plain-name")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtectedError);
    expect((error as ProtectedError).retryable).toBe(false);
  });
});

describe("verify", () => {
  it("says present while the role exists and gone after", async () => {
    fake.addRole({ name: "r" });
    const found = await discovered("r");
    expect(await role.verify(ctx(), found)).toBe("present");
    await role.delete(ctx(), found);
    expect(await role.verify(ctx(), found)).toBe("gone");
  });

  it("throws a classified error when it cannot read", async () => {
    iam.on(GetRoleCommand).rejects(Object.assign(new Error("slow down"), { name: "Throttling" }));
    await expect(role.verify(ctx(), { id: "r", name: "r" })).rejects.toBeInstanceOf(ThrottledError);
  });
});

describe("the type", () => {
  it("is global, outlives every other type, and documents its options", () => {
    expect(role.scope).toBe("global");
    expect(role.dependsOn).toEqual(["*"]);
    expect(ctx().options).toEqual({ pathPrefix: "/", deleteInstanceProfiles: true });
    for (const property of Object.values(role.options!.properties)) {
      expect((property as { description?: string }).description).toBeTruthy();
    }
  });
});
