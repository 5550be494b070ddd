import {
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  IAMClient,
  RemoveRoleFromInstanceProfileCommand,
  paginateListAttachedRolePolicies,
  paginateListInstanceProfilesForRole,
  paginateListRolePolicies,
  paginateListRoleTags,
  paginateListRoles,
  type Role,
} from "@aws-sdk/client-iam";
import { ProtectedError, Type, defineResource, tagRecord, type Child, type Found } from "@cleanup-runner/plugin-kit";
import { awsManagedRoleReason, isAwsManagedPolicyArn, type RoleFacts } from "../aws-managed.js";
import { iamCall, readUnlessGone, removeOwned } from "../iam-errors.js";
import { allItems } from "../listing.js";
import { decodePolicyDocument } from "../policy-document.js";

const options = Type.Object({
  pathPrefix: Type.String({
    default: "/",
    pattern: "^/(.*/)?$",
    description:
      "Only roles whose path starts with this are listed (sent to ListRoles as PathPrefix), e.g. `/workshop/`. " +
      "Begins and ends with `/`; `/` lists every role.",
  }),
  deleteInstanceProfiles: Type.Boolean({
    default: true,
    description:
      "Delete an instance profile the role is removed from when the role was the only one in it. " +
      "With false, such profiles stay behind, empty.",
  }),
});

/** A managed policy attached to a role. */
interface AttachedPolicyRef {
  readonly name: string;
  readonly arn: string;
}

/** An instance profile the role is in, with every role the profile holds. */
interface InstanceProfileRef {
  readonly name: string;
  readonly roleNames: readonly string[];
}

/** What a role owns: what describe shows and delete removes. */
interface RoleAttachments {
  readonly inlinePolicyNames: string[];
  readonly attachedPolicies: AttachedPolicyRef[];
  readonly instanceProfiles: InstanceProfileRef[];
}

/** The cheap `Found` of one ListRoles entry (ListRoles returns neither tags nor the permissions boundary). */
function roleFound(role: Role): Found {
  return {
    id: role.RoleName!,
    name: role.RoleName!,
    arn: role.Arn,
    createdAt: role.CreateDate?.toISOString(),
    details: {
      path: role.Path ?? "/",
      roleId: role.RoleId,
      ...(role.AssumeRolePolicyDocument ? { trustPolicy: decodePolicyDocument(role.AssumeRolePolicyDocument) } : {}),
      ...(role.Description ? { description: role.Description } : {}),
    },
  };
}

/** What the safety rules need, from a found role and, once described, its attachments. */
function roleFacts(found: Found): RoleFacts {
  const details = found.details ?? {};
  const attached = details.attachedPolicies;
  return {
    name: found.name,
    path: typeof details.path === "string" ? details.path : "/",
    trustPolicy: typeof details.trustPolicy === "string" ? details.trustPolicy : undefined,
    attachedPolicyArns: Array.isArray(attached) ? (attached as AttachedPolicyRef[]).map((p) => p.arn) : undefined,
  };
}

/** Reads a role's inline policies, attached policies and instance profiles, every page of each. */
async function readAttachments(iam: IAMClient, roleName: string): Promise<RoleAttachments> {
  const config = { client: iam, pageSize: 1000 };
  const input = { RoleName: roleName };
  const [inlinePolicyNames, attached, profiles] = await Promise.all([
    iamCall(`ListRolePolicies ${roleName}`, () =>
      allItems(paginateListRolePolicies(config, input), (page) => page.PolicyNames),
    ),
    iamCall(`ListAttachedRolePolicies ${roleName}`, () =>
      allItems(paginateListAttachedRolePolicies(config, input), (page) => page.AttachedPolicies),
    ),
    iamCall(`ListInstanceProfilesForRole ${roleName}`, () =>
      allItems(paginateListInstanceProfilesForRole(config, input), (page) => page.InstanceProfiles),
    ),
  ]);
  return {
    inlinePolicyNames,
    attachedPolicies: attached.map((p) => ({ name: p.PolicyName ?? p.PolicyArn!, arn: p.PolicyArn! })),
    instanceProfiles: profiles.map((p) => ({
      name: p.InstanceProfileName!,
      roleNames: (p.Roles ?? []).map((r) => r.RoleName!),
    })),
  };
}

/** True when removing the role leaves the profile empty (a profile holds at most one role). */
function leftEmpty(profile: InstanceProfileRef, roleName: string): boolean {
  return profile.roleNames.every((name) => name === roleName);
}

function attachmentChildren(owned: RoleAttachments, roleName: string, deleteInstanceProfiles: boolean): Child[] {
  const children: Child[] = [];
  if (owned.inlinePolicyNames.length > 0) {
    children.push({
      kind: "inline policies",
      count: owned.inlinePolicyNames.length,
      note: owned.inlinePolicyNames.join(", "),
    });
  }
  if (owned.attachedPolicies.length > 0) {
    children.push({
      kind: "attached managed policies",
      count: owned.attachedPolicies.length,
      note: owned.attachedPolicies
        .map((p) => `${p.name} (${isAwsManagedPolicyArn(p.arn) ? "AWS-managed, detached only" : "detached"})`)
        .join(", "),
    });
  }
  if (owned.instanceProfiles.length > 0) {
    children.push({
      kind: "instance profiles",
      count: owned.instanceProfiles.length,
      note: owned.instanceProfiles
        .map(
          (p) => `${p.name} (${deleteInstanceProfiles && leftEmpty(p, roleName) ? "deleted" : "role removed, kept"})`,
        )
        .join(", "),
    });
  }
  return children;
}

function attachmentNotes(owned: RoleAttachments, roleName: string, deleteInstanceProfiles: boolean): string[] {
  const notes: string[] = [];
  const customer = owned.attachedPolicies.filter((p) => !isAwsManagedPolicyArn(p.arn));
  if (customer.length > 0) {
    notes.push(
      `customer-managed policies ${customer.map((p) => p.name).join(", ")} are only detached: ` +
        "they stay unless an iam.policy entry selects them",
    );
  }
  const keptEmpty = owned.instanceProfiles.filter((p) => !deleteInstanceProfiles && leftEmpty(p, roleName));
  if (keptEmpty.length > 0) {
    notes.push(
      `instance profiles ${keptEmpty.map((p) => p.name).join(", ")} stay behind, empty (deleteInstanceProfiles: false)`,
    );
  }
  return notes;
}

/** Refuses to touch a role that any AWS-managed rule matches, whatever the plan says. */
function refuseAwsManaged(facts: RoleFacts): void {
  const reason = awsManagedRoleReason(facts);
  if (reason) throw new ProtectedError(`role ${facts.name} is AWS-managed: ${reason}`);
}

/** Instance profiles the plan saw the role in: a retry after a partial attempt no longer finds them by role. */
function plannedProfiles(found: Found): InstanceProfileRef[] {
  const profiles = found.details?.instanceProfiles;
  return Array.isArray(profiles) ? (profiles as InstanceProfileRef[]) : [];
}

/**
 * Takes the role out of each of its instance profiles and, with
 * `deleteInstanceProfiles`, deletes those it leaves empty. Profiles the plan
 * recorded but the role is no longer in (an earlier attempt removed it) are
 * deleted only if a fresh read finds them empty.
 */
async function leaveInstanceProfiles(
  iam: IAMClient,
  roleName: string,
  live: readonly InstanceProfileRef[],
  planned: readonly InstanceProfileRef[],
  deleteInstanceProfiles: boolean,
): Promise<void> {
  for (const profile of live) {
    await removeOwned(`RemoveRoleFromInstanceProfile ${profile.name} ${roleName}`, () =>
      iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: profile.name, RoleName: roleName })),
    );
  }
  if (!deleteInstanceProfiles) return;
  const liveNames = new Set(live.map((p) => p.name));
  for (const profile of live.filter((p) => leftEmpty(p, roleName))) {
    await removeOwned(`DeleteInstanceProfile ${profile.name}`, () =>
      iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: profile.name })),
    );
  }
  for (const profile of planned.filter((p) => !liveNames.has(p.name) && leftEmpty(p, roleName))) {
    const current = await readUnlessGone(`GetInstanceProfile ${profile.name}`, () =>
      iam.send(new GetInstanceProfileCommand({ InstanceProfileName: profile.name })),
    );
    if (!current || (current.InstanceProfile?.Roles ?? []).length > 0) continue;
    await removeOwned(`DeleteInstanceProfile ${profile.name}`, () =>
      iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: profile.name })),
    );
  }
}

/** `iam.role`: an IAM role, with its inline policies, policy attachments and instance profile memberships. */
export const role = defineResource({
  type: "iam.role",
  description:
    "IAM roles, with their inline policies, managed-policy attachments and instance profiles; never AWS-managed roles.",
  scope: "global",
  // A role is used by what other services run (a function, a data source, an
  // import job): it goes only once everything else in the run is gone.
  dependsOn: ["*"],
  options,
  deletesWith: [
    "inline policies",
    "managed-policy attachments (the policies themselves are only detached, never deleted)",
    "its membership in instance profiles, and profiles it leaves empty (option deleteInstanceProfiles)",
    "its permissions boundary setting",
  ],

  async *discover(ctx) {
    const iam = ctx.client(IAMClient);
    const pages = paginateListRoles({ client: iam, pageSize: 1000 }, { PathPrefix: ctx.options.pathPrefix });
    for await (const page of pages) {
      for (const r of page.Roles ?? []) yield roleFound(r);
    }
  },

  async readTags(ctx, found) {
    const iam = ctx.client(IAMClient);
    const tags = await iamCall(`ListRoleTags ${found.id}`, () =>
      allItems(paginateListRoleTags({ client: iam, pageSize: 1000 }, { RoleName: found.id }), (page) => page.Tags),
    );
    return tagRecord(tags);
  },

  async describe(ctx, found) {
    const owned = await readAttachments(ctx.client(IAMClient), found.id);
    const described: Found = {
      ...found,
      details: { ...found.details, ...owned },
      children: attachmentChildren(owned, found.id, ctx.options.deleteInstanceProfiles),
      notes: attachmentNotes(owned, found.id, ctx.options.deleteInstanceProfiles),
    };
    const reason = awsManagedRoleReason(roleFacts(described));
    return reason ? { ...described, protectedReason: reason } : described;
  },

  protectedReason(found) {
    return awsManagedRoleReason(roleFacts(found));
  },

  async delete(ctx, found) {
    const iam = ctx.client(IAMClient);
    const roleName = found.id;
    // A fresh read: NoSuchEntity means already gone, the protection rules see
    // the live role, and only GetRole tells whether a permissions boundary is set.
    const { Role: live } = await iamCall(`GetRole ${roleName}`, () =>
      iam.send(new GetRoleCommand({ RoleName: roleName })),
    );
    const facts: RoleFacts = {
      name: roleName,
      path: live?.Path ?? "/",
      trustPolicy: live?.AssumeRolePolicyDocument,
    };
    refuseAwsManaged(facts);
    const owned = await readAttachments(iam, roleName);
    refuseAwsManaged({ ...facts, attachedPolicyArns: owned.attachedPolicies.map((p) => p.arn) });

    for (const policyName of owned.inlinePolicyNames) {
      await removeOwned(`DeleteRolePolicy ${roleName} ${policyName}`, () =>
        iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
      );
    }
    // Detach only: neither AWS-managed nor customer-managed policies are deleted here.
    for (const policy of owned.attachedPolicies) {
      await removeOwned(`DetachRolePolicy ${roleName} ${policy.arn}`, () =>
        iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policy.arn })),
      );
    }
    await leaveInstanceProfiles(
      iam,
      roleName,
      owned.instanceProfiles,
      plannedProfiles(found),
      ctx.options.deleteInstanceProfiles,
    );
    // Last before DeleteRole: with no permissions policy left, lifting the
    // boundary can no longer widen what the role may do.
    if (live?.PermissionsBoundary) {
      await removeOwned(`DeleteRolePermissionsBoundary ${roleName}`, () =>
        iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: roleName })),
      );
    }
    await iamCall(`DeleteRole ${roleName}`, () => iam.send(new DeleteRoleCommand({ RoleName: roleName })));
  },

  async verify(ctx, found) {
    const iam = ctx.client(IAMClient);
    const read = await readUnlessGone(`GetRole ${found.id}`, () =>
      iam.send(new GetRoleCommand({ RoleName: found.id })),
    );
    return read ? "present" : "gone";
  },
});
