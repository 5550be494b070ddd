import {
  DeleteConflictException,
  DeleteInstanceProfileCommand,
  IAMClient,
  ListInstanceProfilesCommand,
  RemoveRoleFromInstanceProfileCommand,
} from "@aws-sdk/client-iam";
import { DependencyPendingError, NotFoundError, ThrottledError, type Found } from "@cleanup-runner/plugin-kit";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { recordRoleDeleted } from "../deleted-roles.js";
import { FakeIam } from "../testing/fake-iam.js";
import { instanceProfile } from "./instance-profile.js";

const iam = mockClient(IAMClient);
let fake: FakeIam;

function ctx() {
  return testContext({ resource: instanceProfile });
}

function sent(): string[] {
  return iam.calls().map((call) => (call.args[0] as object).constructor.name.replace(/Command$/, ""));
}

async function discovered(name: string): Promise<Found> {
  const found = (await collect(instanceProfile.discover(ctx(), {}))).find((f) => f.name === name);
  if (!found) throw new Error(`${name} not discovered`);
  return found;
}

beforeEach(() => {
  iam.reset();
  fake = new FakeIam();
  fake.install(iam);
});

describe("discover", () => {
  it("follows every page, with the roles each profile holds", async () => {
    fake.maxPageSize = 2;
    fake.addRole({ name: "student-dynamodb-access-role" });
    fake.addInstanceProfile({ name: "p1", roleNames: ["student-dynamodb-access-role"] });
    for (const n of ["p2", "p3", "p4", "p5"]) fake.addInstanceProfile({ name: n });

    const found = await collect(instanceProfile.discover(ctx(), {}));

    expect(found.map((f) => f.name)).toEqual(["p1", "p2", "p3", "p4", "p5"]);
    expect(iam).toHaveReceivedCommandTimes(ListInstanceProfilesCommand, 3);
    expect(found[0]).toEqual({
      id: "p1",
      name: "p1",
      arn: "arn:aws:iam::123456789012:instance-profile/p1",
      createdAt: "2024-01-02T03:04:05.000Z",
      details: { path: "/", instanceProfileId: "AIPAP1", roleNames: ["student-dynamodb-access-role"] },
    });
  });

  it("pages by Marker alone when IsTruncated is missing (as moto answers)", async () => {
    fake.maxPageSize = 2;
    fake.omitIsTruncatedFromListInstanceProfiles = true;
    for (const n of ["p1", "p2", "p3"]) fake.addInstanceProfile({ name: n });
    const found = await collect(instanceProfile.discover(ctx(), {}));
    expect(found.map((f) => f.name)).toEqual(["p1", "p2", "p3"]);
  });

  it("reads tags with GetInstanceProfile (ListInstanceProfiles returns none)", async () => {
    fake.addInstanceProfile({ name: "p", tags: [{ Key: "workshop", Value: "student-system" }] });
    const found = await discovered("p");
    expect(found.tags).toBeUndefined();
    expect(await instanceProfile.readTags!(ctx(), found)).toEqual({ workshop: "student-system" });
  });
});

describe("describe", () => {
  it("shows the roles it will take out, without another call", async () => {
    fake.addRole({ name: "r" });
    fake.addInstanceProfile({ name: "p", roleNames: ["r"] });
    const found = await discovered("p");
    iam.resetHistory();
    const described = await instanceProfile.describe!(ctx(), found);
    expect(described.children).toEqual([{ kind: "roles removed from it (not deleted)", count: 1, note: "r" }]);
    expect(sent()).toEqual([]);
  });
});

const deleteConflict = () =>
  new DeleteConflictException({
    message: "Cannot delete entity, must remove roles from instance profile first.",
    $metadata: {},
  });

describe("delete", () => {
  it("tries the delete first; refused while a role is in it, removes the roles the plan saw (which stay), reading nothing", async () => {
    fake.addRole({ name: "r" });
    fake.addInstanceProfile({ name: "p", roleNames: ["r"] });
    const found = await discovered("p");
    iam.resetHistory();

    await instanceProfile.delete(ctx(), found);

    // the delete is tried first (refused while the role is in it)
    expect(sent()).toEqual(["DeleteInstanceProfile", "RemoveRoleFromInstanceProfile", "DeleteInstanceProfile"]);
    expect(fake.profiles.has("p")).toBe(false);
    expect(fake.roles.has("r")).toBe(true);
  });

  it("reads the roles fresh when the plan holds none (a plan file from an older version)", async () => {
    fake.addRole({ name: "r" });
    fake.addInstanceProfile({ name: "p", roleNames: ["r"] });
    const found = await discovered("p");
    const olderPlan: Found = { ...found, details: { path: "/" } };
    iam.resetHistory();

    await instanceProfile.delete(ctx(), olderPlan);

    expect(sent()).toEqual([
      "DeleteInstanceProfile",
      "GetInstanceProfile",
      "RemoveRoleFromInstanceProfile",
      "DeleteInstanceProfile",
    ]);
    expect(fake.profiles.has("p")).toBe(false);
  });

  it("reads fresh and attempts once more when a role was added since the plan", async () => {
    fake.addRole({ name: "r" });
    fake.addInstanceProfile({ name: "p" });
    const found = await discovered("p");
    fake.profiles.get("p")!.roleNames.push("r");
    iam.resetHistory();

    await instanceProfile.delete(ctx(), found);

    expect(sent()).toEqual([
      "DeleteInstanceProfile",
      "GetInstanceProfile",
      "RemoveRoleFromInstanceProfile",
      "DeleteInstanceProfile",
    ]);
    expect(fake.profiles.has("p")).toBe(false);
    expect(fake.roles.has("r")).toBe(true);
  });

  it("when the role's own delete took it out first, one DeleteInstanceProfile does", async () => {
    fake.addRole({ name: "r" });
    fake.addInstanceProfile({ name: "p", roleNames: ["r"] });
    const found = await discovered("p");
    fake.profiles.get("p")!.roleNames.length = 0;
    iam.resetHistory();

    await instanceProfile.delete(ctx(), found);

    expect(sent()).toEqual(["DeleteInstanceProfile"]);
    expect(fake.profiles.has("p")).toBe(false);
  });

  it("gone because the delete of one of its roles in this run took it: deleted, its NoSuchEntity confirming it gone", async () => {
    fake.addRole({ name: "r" });
    fake.addInstanceProfile({ name: "p", roleNames: ["r"] });
    const found = await discovered("p");
    const context = ctx();
    // What the role's delete does with deleteInstanceProfiles, and records on the run's IAM client.
    fake.profiles.delete("p");
    fake.roles.delete("r");
    recordRoleDeleted(context.client(IAMClient), "r");
    iam.resetHistory();

    // "gone": the engine reports it deleted without reading it again
    await expect(instanceProfile.delete(context, found)).resolves.toBe("gone");
    expect(sent()).toEqual(["DeleteInstanceProfile"]);
    expect(await instanceProfile.verify(context, found)).toBe("gone");
  });

  it("reports NotFound on a second run", async () => {
    fake.addInstanceProfile({ name: "p" });
    const found = await discovered("p");
    await instanceProfile.delete(ctx(), found);
    iam.resetHistory();
    await expect(instanceProfile.delete(ctx(), found)).rejects.toBeInstanceOf(NotFoundError);
    expect(sent()).toEqual(["DeleteInstanceProfile"]);
    expect(await instanceProfile.verify(ctx(), found)).toBe("gone");
  });

  it("after a refusal right after the role is removed, reads fresh and attempts once more", async () => {
    fake.addRole({ name: "r" });
    fake.addInstanceProfile({ name: "p", roleNames: ["r"] });
    const found = await discovered("p");
    // Refused while the role is in it; then IAM does not yet see the role removed; then it does.
    iam
      .on(DeleteInstanceProfileCommand)
      .rejectsOnce(deleteConflict())
      .rejectsOnce(deleteConflict())
      .callsFake((input: { InstanceProfileName: string }) => fake.profiles.delete(input.InstanceProfileName) && {});
    iam.resetHistory();

    await instanceProfile.delete(ctx(), found);

    expect(sent()).toEqual([
      "DeleteInstanceProfile",
      "RemoveRoleFromInstanceProfile",
      "DeleteInstanceProfile",
      "GetInstanceProfile",
      "DeleteInstanceProfile",
    ]);
    expect(fake.profiles.has("p")).toBe(false);
  });

  it("classifies a second refusal as retryable", async () => {
    fake.addRole({ name: "r" });
    fake.addInstanceProfile({ name: "p", roleNames: ["r"] });
    const found = await discovered("p");
    iam.on(DeleteInstanceProfileCommand).rejects(deleteConflict());
    iam.resetHistory();

    const error = await instanceProfile.delete(ctx(), found).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DependencyPendingError);
    expect((error as DependencyPendingError).retryable).toBe(true);
    expect(sent()).toEqual([
      "DeleteInstanceProfile",
      "RemoveRoleFromInstanceProfile",
      "DeleteInstanceProfile",
      "GetInstanceProfile",
      "DeleteInstanceProfile",
    ]);
    expect(fake.profiles.get("p")?.roleNames).toEqual([]);
  });

  it("classifies throttling", async () => {
    fake.addRole({ name: "r" });
    fake.addInstanceProfile({ name: "p", roleNames: ["r"] });
    iam
      .on(RemoveRoleFromInstanceProfileCommand)
      .rejectsOnce(Object.assign(new Error("Rate exceeded"), { name: "Throttling" }));
    await expect(instanceProfile.delete(ctx(), await discovered("p"))).rejects.toBeInstanceOf(ThrottledError);
    expect(fake.profiles.get("p")?.roleNames).toEqual(["r"]);
  });
});

describe("verify", () => {
  it("says present while it exists", async () => {
    fake.addInstanceProfile({ name: "p" });
    expect(await instanceProfile.verify(ctx(), await discovered("p"))).toBe("present");
  });

  it("is global, and outlives the other types and its roles", () => {
    expect(instanceProfile.scope).toBe("global");
    expect(instanceProfile.dependsOn).toEqual(["*", "iam.role"]);
  });
});
