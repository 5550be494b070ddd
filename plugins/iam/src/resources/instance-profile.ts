import {
  DeleteInstanceProfileCommand,
  GetInstanceProfileCommand,
  IAMClient,
  RemoveRoleFromInstanceProfileCommand,
  paginateListInstanceProfiles,
  type InstanceProfile,
} from "@aws-sdk/client-iam";
import {
  defineResource,
  deleteWithPlannedChildren,
  isNotFound,
  recordedStrings,
  tagRecord,
  type Found,
} from "@cleanup-runner/plugin-kit";
import { roleDeletedInRun } from "../deleted-roles.js";
import { deleteEntity, iamCall, readUnlessGone, refusedForWhatItHolds, removeOwned } from "../iam-errors.js";

function roleNames(profile: InstanceProfile | undefined): string[] {
  return (profile?.Roles ?? []).map((r) => r.RoleName!);
}

function instanceProfileFound(profile: InstanceProfile): Found {
  return {
    id: profile.InstanceProfileName!,
    name: profile.InstanceProfileName!,
    arn: profile.Arn,
    createdAt: profile.CreateDate?.toISOString(),
    details: { path: profile.Path ?? "/", instanceProfileId: profile.InstanceProfileId, roleNames: roleNames(profile) },
  };
}

/** The roles the plan saw in the profile (ListInstanceProfiles returns them), or undefined if the plan lacks them. */
function plannedRoleNames(found: Found): string[] | undefined {
  return recordedStrings(found.details?.roleNames);
}

/** `iam.instance-profile`: an instance profile; its roles are taken out of it, never deleted with it. */
export const instanceProfile = defineResource({
  type: "iam.instance-profile",
  description: "IAM instance profiles; the roles in them are removed from the profile, not deleted.",
  scope: "global",
  // What runs with a profile (EC2 instances and the services that start
  // them) goes first, as for roles; and its roles, whose delete takes them
  // out of their profiles and deletes those it leaves empty (the role's
  // option deleteInstanceProfiles): by then most profiles are gone or empty.
  dependsOn: ["*", "iam.role"],
  deletesWith: ["the membership of its roles (the roles stay)"],

  async *discover(ctx) {
    const iam = ctx.client(IAMClient);
    // ListInstanceProfiles pages by Marker alone (moto leaves out IsTruncated).
    for await (const page of paginateListInstanceProfiles({ client: iam, pageSize: 1000 }, {})) {
      for (const profile of page.InstanceProfiles ?? []) yield instanceProfileFound(profile);
    }
  },

  async readTags(ctx, found) {
    // GetInstanceProfile returns every tag (at most 50) in one call; moto has
    // no ListInstanceProfileTags.
    const iam = ctx.client(IAMClient);
    const { InstanceProfile: profile } = await iamCall(`GetInstanceProfile ${found.id}`, () =>
      iam.send(new GetInstanceProfileCommand({ InstanceProfileName: found.id })),
    );
    return tagRecord(profile?.Tags);
  },

  async describe(_ctx, found) {
    // ListInstanceProfiles already returned the roles: no call needed.
    const names = plannedRoleNames(found) ?? [];
    return names.length > 0
      ? {
          ...found,
          children: [{ kind: "roles removed from it (not deleted)", count: names.length, note: names.join(", ") }],
        }
      : found;
  },

  async delete(ctx, found) {
    const iam = ctx.client(IAMClient);
    const name = found.id;
    const planned = plannedRoleNames(found);
    const deleteProfile = () =>
      deleteEntity(`DeleteInstanceProfile ${name}`, () =>
        iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: name })),
      );
    // Its roles' deletes went first: the profile is usually gone or empty, so the delete is tried
    // before anything is removed.
    try {
      return await deleteProfile();
    } catch (error) {
      // Gone, and a role of it was deleted in this run: that role's delete took it (option
      // deleteInstanceProfiles), so this run deleted it, and this NoSuchEntity confirms it gone.
      // Otherwise it was gone before, and NotFound says so.
      if (isNotFound(error) && (planned ?? []).some((roleName) => roleDeletedInRun(iam, roleName))) return "gone";
      if (!refusedForWhatItHolds(error)) throw error;
    }
    // DeleteConflict: a role is still in it (one not being deleted, or one IAM does not yet see
    // removed). Take out the roles the plan saw, then a fresh read if IAM still refuses (a role added
    // since the plan) and one more attempt; a second refusal stays a retryable DependencyPending.
    // NoSuchEntity from a removal means the role is already out.
    await deleteWithPlannedChildren(
      // A plan that saw no role in it says nothing of the one refusing the delete: read it.
      planned?.length ? planned : undefined,
      async () => {
        const { InstanceProfile: live } = await iamCall(`GetInstanceProfile ${name}`, () =>
          iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name })),
        );
        return roleNames(live);
      },
      async (inProfile) => {
        for (const roleName of inProfile) {
          await removeOwned(`RemoveRoleFromInstanceProfile ${name} ${roleName}`, () =>
            iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName: roleName })),
          );
        }
        await deleteProfile();
      },
      refusedForWhatItHolds,
    );
  },

  async verify(ctx, found) {
    const iam = ctx.client(IAMClient);
    const read = await readUnlessGone(`GetInstanceProfile ${found.id}`, () =>
      iam.send(new GetInstanceProfileCommand({ InstanceProfileName: found.id })),
    );
    return read ? "present" : "gone";
  },
});
