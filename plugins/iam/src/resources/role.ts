import {
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
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
import {
  defineResource,
  deleteWithPlannedChildren,
  isResourceError,
  isStringArray,
  ProtectedError,
  tagRecord,
  Type,
  type Child,
  type Found,
} from "@cleanup-runner/plugin-kit";
import {
  accountDetails,
  attachedPolicyRef,
  instanceProfileRef,
  type AttachedPolicyRef,
  type InstanceProfileRef,
  type RoleAttachments,
} from "../account-details.js";
import { awsManagedRoleReason, isAwsManagedPolicyArn, type RoleFacts } from "../aws-managed.js";
import { deleteEntity, iamCall, readUnlessGone, refusedForWhatItHolds, removeOwned } from "../iam-errors.js";
import { allItems } from "../listing.js";
import { recordRoleDeleted } from "../deleted-roles.js";
import { decodePolicyDocument, isPolicyDocument } from "../policy-document.js";

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

/**
 * Reads a role's inline policies, attached policies and instance profiles,
 * every page of each: at delete when the plan lacks them or DeleteRole
 * refused, and while planning for a role the account's one read did not see
 * (made since, or the credentials may not make that read).
 */
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
    attachedPolicies: attached.map(attachedPolicyRef),
    instanceProfiles: profiles.map(instanceProfileRef),
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

/**
 * What delete works from: what the safety rules look at and what the role
 * owns, as the plan recorded it or as read fresh.
 */
interface RoleState extends RoleAttachments {
  readonly path: string;
  readonly trustPolicy: string | undefined;
  /**
   * Instance profiles the plan saw the role in that it is no longer in (an
   * earlier attempt took it out): deleted if a fresh read finds them empty.
   */
  readonly formerProfiles: readonly InstanceProfileRef[];
}

/** An IAM path: `/`, or `/` and segments each ending in `/`. */
const iamPath = /^\/(.*\/)?$/;

function isAttachedPolicyRefs(value: unknown): value is AttachedPolicyRef[] {
  return (
    Array.isArray(value) &&
    value.every((item: unknown) => {
      const ref = item as Partial<AttachedPolicyRef> | null;
      return typeof ref?.name === "string" && typeof ref.arn === "string";
    })
  );
}

function isInstanceProfileRefs(value: unknown): value is InstanceProfileRef[] {
  return (
    Array.isArray(value) &&
    value.every((item: unknown) => {
      const ref = item as Partial<InstanceProfileRef> | null;
      return typeof ref?.name === "string" && isStringArray(ref.roleNames);
    })
  );
}

/**
 * The role as the plan recorded it (discover's path and trust policy,
 * describe's attachments), or undefined when the plan lacks any of it or
 * holds it malformed (a plan file from an older version, or damaged): then
 * delete reads it all fresh. The AWS-managed rules look at the path and the
 * trust policy, so a path that is not an IAM path or a trust policy that is
 * not a policy document (on which no rule could match) is not used.
 */
function plannedState(found: Found): RoleState | undefined {
  const details = found.details ?? {};
  const { path, trustPolicy, inlinePolicyNames, attachedPolicies, instanceProfiles } = details;
  if (typeof path !== "string" || !iamPath.test(path)) return undefined;
  if (typeof trustPolicy !== "string" || !isPolicyDocument(trustPolicy)) return undefined;
  if (!isStringArray(inlinePolicyNames) || !isAttachedPolicyRefs(attachedPolicies)) return undefined;
  if (!isInstanceProfileRefs(instanceProfiles) || !instanceProfiles.every((p) => holds(p, found.id))) return undefined;
  return { path, trustPolicy, inlinePolicyNames, attachedPolicies, instanceProfiles, formerProfiles: [] };
}

/**
 * True when the recorded profile lists the role: describe records only
 * profiles the role is in, so one that does not is from a damaged plan, and
 * deleting it "once empty" could delete a profile that was never the role's.
 */
function holds(profile: InstanceProfileRef, roleName: string): boolean {
  return profile.roleNames.includes(roleName);
}

/** Instance profiles the plan saw the role in, however little else of the plan is usable. */
function plannedProfiles(found: Found): InstanceProfileRef[] {
  const profiles = found.details?.instanceProfiles;
  return isInstanceProfileRefs(profiles) ? profiles.filter((p) => holds(p, found.id)) : [];
}

/**
 * The role as it is now: GetRole (NoSuchEntity means already gone) and what
 * it owns. `recorded` are the profiles a plan saw it in, for `formerProfiles`.
 */
async function readState(
  iam: IAMClient,
  roleName: string,
  recorded: readonly InstanceProfileRef[],
): Promise<RoleState> {
  const [{ Role: live }, owned] = await Promise.all([
    iamCall(`GetRole ${roleName}`, () => iam.send(new GetRoleCommand({ RoleName: roleName }))),
    readAttachments(iam, roleName),
  ]);
  const held = new Set(owned.instanceProfiles.map((p) => p.name));
  return {
    ...owned,
    path: live?.Path ?? "/",
    trustPolicy: live?.AssumeRolePolicyDocument,
    formerProfiles: recorded.filter((p) => !held.has(p.name)),
  };
}

/**
 * Deletes a profile the role was the only one in. A refusal (DeleteConflict)
 * means IAM does not yet see the role removed, retried later, or, from a
 * plan's list, that another role was put in the profile since: then it is
 * not this role's to delete and stays, or the role's delete would be refused
 * until the deadline. Only then is the profile read.
 */
async function deleteLeftEmpty(iam: IAMClient, profileName: string, roleName: string): Promise<void> {
  try {
    await removeOwned(`DeleteInstanceProfile ${profileName}`, () =>
      iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: profileName })),
    );
  } catch (error) {
    if (!isResourceError(error) || error.kind !== "dependency-pending") throw error;
    const current = await readUnlessGone(`GetInstanceProfile ${profileName}`, () =>
      iam.send(new GetInstanceProfileCommand({ InstanceProfileName: profileName })),
    );
    if (current && !(current.InstanceProfile?.Roles ?? []).some((r) => r.RoleName !== roleName)) throw error;
  }
}

/**
 * Takes the role out of each of its instance profiles and, with
 * `deleteInstanceProfiles`, deletes those it leaves empty. Former profiles
 * (the role is no longer in them) are deleted only if a fresh read finds
 * them empty.
 */
async function leaveInstanceProfiles(
  iam: IAMClient,
  roleName: string,
  state: RoleState,
  deleteInstanceProfiles: boolean,
): Promise<void> {
  for (const profile of state.instanceProfiles) {
    await removeOwned(`RemoveRoleFromInstanceProfile ${profile.name} ${roleName}`, () =>
      iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: profile.name, RoleName: roleName })),
    );
  }
  if (!deleteInstanceProfiles) return;
  for (const profile of state.instanceProfiles.filter((p) => leftEmpty(p, roleName))) {
    await deleteLeftEmpty(iam, profile.name, roleName);
  }
  for (const profile of state.formerProfiles.filter((p) => leftEmpty(p, roleName))) {
    const current = await readUnlessGone(`GetInstanceProfile ${profile.name}`, () =>
      iam.send(new GetInstanceProfileCommand({ InstanceProfileName: profile.name })),
    );
    if (!current || (current.InstanceProfile?.Roles ?? []).length > 0) continue;
    await removeOwned(`DeleteInstanceProfile ${profile.name}`, () =>
      iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: profile.name })),
    );
  }
}

/**
 * Undoes what the role owns, as `state` says, then deletes it; refuses first
 * if an AWS-managed rule matches what `state` says of it. The rules look at
 * the role's name as delete sends it (the id), never at the plan's label.
 */
async function deleteRoleWith(
  iam: IAMClient,
  roleName: string,
  state: RoleState,
  deleteInstanceProfiles: boolean,
): Promise<void> {
  refuseAwsManaged({
    name: roleName,
    path: state.path,
    trustPolicy: state.trustPolicy,
    attachedPolicyArns: state.attachedPolicies.map((p) => p.arn),
  });
  for (const policyName of state.inlinePolicyNames) {
    await removeOwned(`DeleteRolePolicy ${roleName} ${policyName}`, () =>
      iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
    );
  }
  // Detach only: neither AWS-managed nor customer-managed policies are deleted here.
  for (const policy of state.attachedPolicies) {
    await removeOwned(`DetachRolePolicy ${roleName} ${policy.arn}`, () =>
      iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policy.arn })),
    );
  }
  await leaveInstanceProfiles(iam, roleName, state, deleteInstanceProfiles);
  // DeleteRole refuses while inline policies, attached policies or instance
  // profiles remain, not for a permissions boundary (IAM API reference,
  // DeleteRole): the boundary setting goes with the role, never lifted first.
  await deleteEntity(`DeleteRole ${roleName}`, () => iam.send(new DeleteRoleCommand({ RoleName: roleName })));
  recordRoleDeleted(iam, roleName);
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
    const iam = ctx.client(IAMClient);
    const owned = (await accountDetails(iam)).roles.get(found.id) ?? (await readAttachments(iam, found.id));
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
    const planned = plannedState(found);
    // The plan's attachments, read moments before (or frozen in the plan file
    // the person reviewed). DeleteRole answers DeleteConflict for one made
    // since, or, just after a removal, before IAM sees it gone: then a fresh
    // read (GetRole too, for the safety rules) and one more attempt; a second
    // refusal stays a retryable DependencyPending. NoSuchEntity from DeleteRole
    // (or the fresh read) means the role is already gone.
    await deleteWithPlannedChildren(
      planned,
      // After a refused planned attempt, the plan's profiles are already dealt with.
      () => readState(iam, roleName, planned ? [] : plannedProfiles(found)),
      (state) => deleteRoleWith(iam, roleName, state, ctx.options.deleteInstanceProfiles),
      refusedForWhatItHolds,
    );
  },

  async verify(ctx, found) {
    const iam = ctx.client(IAMClient);
    const read = await readUnlessGone(`GetRole ${found.id}`, () =>
      iam.send(new GetRoleCommand({ RoleName: found.id })),
    );
    return read ? "present" : "gone";
  },
});
