import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  IAMClient,
  TagInstanceProfileCommand,
} from "@aws-sdk/client-iam";
import { NotFoundError } from "@cleanup-runner/plugin-kit";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { beforeEach, describe, expect, it } from "vitest";
import { trustPolicyFor } from "../testing/fake-iam.js";
import { instanceProfile } from "./instance-profile.js";

const moto = useMoto();
const iam = () => moto.client(IAMClient);

function ctx() {
  return moto.context({ resource: instanceProfile });
}

beforeEach(async () => {
  for (const [profile, roleName] of [
    ["student-ec2-instance-profile", "student-dynamodb-access-role"],
    ["other-project-instance-profile", "other-project-role"],
  ] as const) {
    await iam().send(
      new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trustPolicyFor("ec2.amazonaws.com") }),
    );
    await iam().send(new CreateInstanceProfileCommand({ InstanceProfileName: profile }));
    await iam().send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: profile, RoleName: roleName }));
  }
  await iam().send(
    new TagInstanceProfileCommand({
      InstanceProfileName: "student-ec2-instance-profile",
      Tags: [{ Key: "workshop", Value: "student-system" }],
    }),
  );
});

describe("iam.instance-profile on moto", () => {
  it("discovers every profile (moto answers without IsTruncated) with its roles and tags", async () => {
    const found = await collect(instanceProfile.discover(ctx(), {}));
    expect(found.map((f) => [f.name, f.details?.roleNames])).toEqual([
      ["student-ec2-instance-profile", ["student-dynamodb-access-role"]],
      ["other-project-instance-profile", ["other-project-role"]],
    ]);
    expect(await instanceProfile.readTags!(ctx(), found[0]!)).toEqual({ workshop: "student-system" });
  });

  it("deletes the profile, keeps its role and leaves the decoy alone", async () => {
    const found = (await collect(instanceProfile.discover(ctx(), {}))).find(
      (f) => f.name === "student-ec2-instance-profile",
    )!;
    await instanceProfile.delete(ctx(), found);

    expect(await instanceProfile.verify(ctx(), found)).toBe("gone");
    const role = await iam().send(new GetRoleCommand({ RoleName: "student-dynamodb-access-role" }));
    expect(role.Role?.RoleName).toBe("student-dynamodb-access-role");
    const decoy = await iam().send(
      new GetInstanceProfileCommand({ InstanceProfileName: "other-project-instance-profile" }),
    );
    expect(decoy.InstanceProfile?.Roles?.map((r) => r.RoleName)).toEqual(["other-project-role"]);
    await expect(instanceProfile.delete(ctx(), found)).rejects.toBeInstanceOf(NotFoundError);
  });
});
