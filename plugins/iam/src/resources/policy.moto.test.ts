import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetPolicyCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  TagPolicyCommand,
} from "@aws-sdk/client-iam";
import { NotFoundError } from "@cleanup-runner/plugin-kit";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { beforeEach, describe, expect, it } from "vitest";
import { trustPolicyFor } from "../testing/fake-iam.js";
import { policy } from "./policy.js";

const lambdaBasic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
const document = (action: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });

const moto = useMoto();
const iam = () => moto.client(IAMClient);
let tableAccessArn: string;
let decoyArn: string;

function ctx() {
  return moto.context({ resource: policy });
}

async function attachedArns(): Promise<string[]> {
  const [r, u, g] = await Promise.all([
    iam().send(new ListAttachedRolePoliciesCommand({ RoleName: "student-dynamodb-access-role" })),
    iam().send(new ListAttachedUserPoliciesCommand({ UserName: "student-admin" })),
    iam().send(new ListAttachedGroupPoliciesCommand({ GroupName: "students" })),
  ]);
  return [...(r.AttachedPolicies ?? []), ...(u.AttachedPolicies ?? []), ...(g.AttachedPolicies ?? [])].map(
    (p) => p.PolicyArn!,
  );
}

beforeEach(async () => {
  tableAccessArn = (
    await iam().send(
      new CreatePolicyCommand({ PolicyName: "student-dynamodb-access-policy", PolicyDocument: document("dynamodb:*") }),
    )
  ).Policy!.Arn!;
  await iam().send(
    new TagPolicyCommand({ PolicyArn: tableAccessArn, Tags: [{ Key: "workshop", Value: "student-system" }] }),
  );
  for (const action of ["dynamodb:GetItem", "dynamodb:Query"]) {
    await iam().send(
      new CreatePolicyVersionCommand({
        PolicyArn: tableAccessArn,
        PolicyDocument: document(action),
        SetAsDefault: true,
      }),
    );
  }
  decoyArn = (
    await iam().send(new CreatePolicyCommand({ PolicyName: "other-project-policy", PolicyDocument: document("s3:*") }))
  ).Policy!.Arn!;

  await iam().send(
    new CreateRoleCommand({
      RoleName: "student-dynamodb-access-role",
      AssumeRolePolicyDocument: trustPolicyFor("lambda.amazonaws.com"),
    }),
  );
  await iam().send(new CreateUserCommand({ UserName: "student-admin" }));
  await iam().send(new CreateGroupCommand({ GroupName: "students" }));
  for (const arn of [tableAccessArn, decoyArn, lambdaBasic]) {
    await iam().send(new AttachRolePolicyCommand({ RoleName: "student-dynamodb-access-role", PolicyArn: arn }));
  }
  await iam().send(new AttachUserPolicyCommand({ UserName: "student-admin", PolicyArn: tableAccessArn }));
  await iam().send(new AttachGroupPolicyCommand({ GroupName: "students", PolicyArn: tableAccessArn }));
});

describe("iam.policy on moto", () => {
  it("discovers customer-managed policies only, never an AWS-managed one", async () => {
    const found = await collect(policy.discover(ctx(), {}));
    expect(found.map((f) => f.name).sort()).toEqual(["other-project-policy", "student-dynamodb-access-policy"]);
    expect(found.every((f) => !f.id.startsWith("arn:aws:iam::aws:policy/"))).toBe(true);
    const tableAccess = found.find((f) => f.id === tableAccessArn)!;
    expect(tableAccess.details).toMatchObject({ defaultVersionId: "v3", attachmentCount: 3 });
    expect(await policy.readTags!(ctx(), tableAccess)).toEqual({ workshop: "student-system" });
  });

  it("detaches it everywhere, deletes its versions and itself, leaving no dangling attachment", async () => {
    const found = (await collect(policy.discover(ctx(), {}))).find((f) => f.id === tableAccessArn)!;
    const described = await policy.describe!(ctx(), found);
    expect(described.children).toEqual([
      {
        kind: "attachments",
        count: 3,
        note: "roles: student-dynamodb-access-role; users: student-admin; groups: students",
      },
      { kind: "versions", count: 3, note: "default v3; also v1, v2" },
    ]);

    await policy.delete(ctx(), described);

    expect(await policy.verify(ctx(), described)).toBe("gone");
    // moto would let DeletePolicy succeed while attached: the attachments must be gone too.
    expect((await attachedArns()).sort()).toEqual([decoyArn, lambdaBasic].sort());
    expect((await iam().send(new GetPolicyCommand({ PolicyArn: decoyArn }))).Policy?.AttachmentCount).toBe(1);
    expect((await iam().send(new GetPolicyCommand({ PolicyArn: lambdaBasic }))).Policy?.Arn).toBe(lambdaBasic);
    await expect(policy.delete(ctx(), described)).rejects.toBeInstanceOf(NotFoundError);
  });
});
