import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
} from "@aws-sdk/client-iam";
import { NotFoundError, ProtectedError, type Found } from "@cleanup-runner/plugin-kit";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { beforeEach, describe, expect, it } from "vitest";
import { trustPolicyFor } from "../testing/fake-iam.js";
import { role } from "./role.js";

type Options = Parameters<typeof role.delete>[0]["options"];

const lambdaBasic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
const inlineDocument = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "ses:SendEmail", Resource: "*" }],
});

const moto = useMoto();
const iam = () => moto.client(IAMClient);
let tableAccessArn: string;
let boundaryArn: string;
let serviceLinkedRoles: string[];

function ctx(options: Partial<Options> = {}) {
  return moto.context<Options>({ resource: role, options });
}

async function exists(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if ((error as Error).name === "NoSuchEntityException") return false;
    throw error;
  }
}

const roleExists = (name: string) => exists(() => iam().send(new GetRoleCommand({ RoleName: name })));

/** Every role the policy is attached to, as IAM reports it. */
async function rolesAttachedTo(policyArn: string): Promise<string[]> {
  const out = await iam().send(new ListEntitiesForPolicyCommand({ PolicyArn: policyArn }));
  return (out.PolicyRoles ?? []).map((r) => r.RoleName!);
}

/** What the engine does before delete: skip what the type or describe says is protected. */
async function plannable(found: Found): Promise<Found | undefined> {
  if (role.protectedReason!(found)) return undefined;
  const described = await role.describe!(ctx(), found);
  return described.protectedReason ? undefined : described;
}

beforeEach(async () => {
  const policy = await iam().send(
    new CreatePolicyCommand({ PolicyName: "student-dynamodb-access-policy", PolicyDocument: inlineDocument }),
  );
  tableAccessArn = policy.Policy!.Arn!;
  await iam().send(
    new CreatePolicyVersionCommand({ PolicyArn: tableAccessArn, PolicyDocument: inlineDocument, SetAsDefault: true }),
  );
  boundaryArn = (
    await iam().send(new CreatePolicyCommand({ PolicyName: "workshop-boundary", PolicyDocument: inlineDocument }))
  ).Policy!.Arn!;

  await iam().send(
    new CreateRoleCommand({
      RoleName: "student-lambda-execution-role",
      AssumeRolePolicyDocument: trustPolicyFor("lambda.amazonaws.com"),
      PermissionsBoundary: boundaryArn,
    }),
  );
  await iam().send(
    new TagRoleCommand({
      RoleName: "student-lambda-execution-role",
      Tags: [{ Key: "workshop", Value: "student-system" }],
    }),
  );
  await iam().send(
    new PutRolePolicyCommand({
      RoleName: "student-lambda-execution-role",
      PolicyName: "send-mail",
      PolicyDocument: inlineDocument,
    }),
  );
  for (const arn of [lambdaBasic, tableAccessArn]) {
    await iam().send(new AttachRolePolicyCommand({ RoleName: "student-lambda-execution-role", PolicyArn: arn }));
  }
  await iam().send(new CreateInstanceProfileCommand({ InstanceProfileName: "student-profile" }));
  await iam().send(
    new AddRoleToInstanceProfileCommand({
      InstanceProfileName: "student-profile",
      RoleName: "student-lambda-execution-role",
    }),
  );

  // The decoy shares the customer policy.
  await iam().send(
    new CreateRoleCommand({
      RoleName: "other-project-role",
      AssumeRolePolicyDocument: trustPolicyFor("ec2.amazonaws.com"),
    }),
  );
  await iam().send(new AttachRolePolicyCommand({ RoleName: "other-project-role", PolicyArn: tableAccessArn }));

  serviceLinkedRoles = [];
  for (const service of [
    { AWSServiceName: "elasticbeanstalk.amazonaws.com" },
    { AWSServiceName: "autoscaling.amazonaws.com", CustomSuffix: "workshop" },
  ]) {
    const created = await iam().send(new CreateServiceLinkedRoleCommand(service));
    serviceLinkedRoles.push(created.Role!.RoleName!);
  }
});

describe("iam.role on moto", () => {
  it("discovers every role with its path, creation date and decoded trust policy; tags via readTags", async () => {
    const found = await collect(role.discover(ctx(), {}));
    expect(found.map((f) => f.name).sort()).toEqual(
      ["other-project-role", "student-lambda-execution-role", ...serviceLinkedRoles].sort(),
    );
    const lambdaRole = found.find((f) => f.name === "student-lambda-execution-role")!;
    expect(lambdaRole.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(JSON.parse(lambdaRole.details!.trustPolicy as string)).toEqual(
      JSON.parse(trustPolicyFor("lambda.amazonaws.com")),
    );
    expect(await role.readTags!(ctx(), lambdaRole)).toEqual({ workshop: "student-system" });
  });

  it("with a match-all selector, deletes every role but the service-linked ones and leaves no dangling attachment", async () => {
    const found = await collect(role.discover(ctx(), {}));
    const planned: Found[] = [];
    for (const f of found) {
      const p = await plannable(f);
      if (p) planned.push(p);
    }
    expect(planned.map((p) => p.name).sort()).toEqual(["other-project-role", "student-lambda-execution-role"]);

    for (const p of planned) {
      await role.delete(ctx(), p);
      expect(await role.verify(ctx(), p)).toBe("gone");
    }

    for (const name of serviceLinkedRoles) expect(await roleExists(name)).toBe(true);
    // Policies are detached, never deleted, and no attachment outlives its role.
    for (const arn of [lambdaBasic, tableAccessArn, boundaryArn]) {
      const policy = await iam().send(new GetPolicyCommand({ PolicyArn: arn }));
      expect(policy.Policy?.AttachmentCount ?? 0).toBe(0);
      expect(await rolesAttachedTo(arn)).toEqual([]);
    }
    expect(
      await exists(() => iam().send(new GetInstanceProfileCommand({ InstanceProfileName: "student-profile" }))),
    ).toBe(false);
  });

  it("deletes one role and leaves the decoy, its attachment and the shared policy alone", async () => {
    const found = (await collect(role.discover(ctx(), {}))).find((f) => f.name === "student-lambda-execution-role")!;
    const described = await role.describe!(ctx(), found);
    expect(described.children?.map((c) => [c.kind, c.count])).toEqual([
      ["inline policies", 1],
      ["attached managed policies", 2],
      ["instance profiles", 1],
    ]);

    await role.delete(ctx(), described);

    expect(await roleExists("student-lambda-execution-role")).toBe(false);
    expect(await roleExists("other-project-role")).toBe(true);
    expect(await rolesAttachedTo(tableAccessArn)).toEqual(["other-project-role"]);
    const decoyPolicies = await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: "other-project-role" }));
    expect(decoyPolicies.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([tableAccessArn]);
    await expect(role.delete(ctx(), described)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("leaves the emptied instance profile when deleteInstanceProfiles is false", async () => {
    const found = (await collect(role.discover(ctx(), {}))).find((f) => f.name === "student-lambda-execution-role")!;
    await role.delete(ctx({ deleteInstanceProfiles: false }), found);
    const profile = await iam().send(new GetInstanceProfileCommand({ InstanceProfileName: "student-profile" }));
    expect(profile.InstanceProfile?.Roles ?? []).toEqual([]);
  });

  it("refuses a service-linked role even when asked directly (moto itself would delete it)", async () => {
    const found = (await collect(role.discover(ctx(), {}))).find((f) => f.name === serviceLinkedRoles[0])!;
    expect(role.protectedReason!(found)).toMatch(/service-linked/);
    await expect(role.delete(ctx(), found)).rejects.toBeInstanceOf(ProtectedError);
    expect(await roleExists(serviceLinkedRoles[0]!)).toBe(true);
  });
});
