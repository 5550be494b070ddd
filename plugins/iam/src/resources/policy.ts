import {
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  IAMClient,
  paginateListEntitiesForPolicy,
  paginateListPolicies,
  paginateListPolicyTags,
  paginateListPolicyVersions,
  type Policy,
} from "@aws-sdk/client-iam";
import {
  defineResource,
  deleteWithPlannedChildren,
  isStringArray,
  ProtectedError,
  tagRecord,
  type Child,
  type Found,
} from "@cleanup-runner/plugin-kit";
import {
  accountDetails,
  policyVersions,
  type PolicyAttachments,
  type PolicyDetails,
  type PolicyVersions,
} from "../account-details.js";
import { awsManagedPolicyReason } from "../aws-managed.js";
import { roleDeletedInRun } from "../deleted-roles.js";
import {
  deleteEntity,
  iamCall,
  readUnlessGone,
  refusedForWhatItHolds,
  removeOwned,
  removeRecorded,
} from "../iam-errors.js";
import { allItems } from "../listing.js";

function policyFound(policy: Policy): Found {
  return {
    id: policy.Arn!,
    name: policy.PolicyName!,
    arn: policy.Arn,
    createdAt: policy.CreateDate?.toISOString(),
    details: {
      path: policy.Path ?? "/",
      policyId: policy.PolicyId,
      defaultVersionId: policy.DefaultVersionId,
      attachmentCount: policy.AttachmentCount ?? 0,
      permissionsBoundaryUsageCount: policy.PermissionsBoundaryUsageCount ?? 0,
    },
  };
}

/**
 * Every entity the policy is attached to as a permissions policy. Entities
 * that use it as their permissions boundary are left out on purpose: lifting
 * a boundary from a role or user that is not being deleted would widen what
 * it may do.
 */
async function readAttachments(iam: IAMClient, policyArn: string): Promise<PolicyAttachments> {
  const attachments: PolicyAttachments = { roles: [], users: [], groups: [] };
  const pages = paginateListEntitiesForPolicy(
    { client: iam, pageSize: 1000 },
    { PolicyArn: policyArn, PolicyUsageFilter: "PermissionsPolicy" },
  );
  await iamCall(`ListEntitiesForPolicy ${policyArn}`, async () => {
    for await (const page of pages) {
      attachments.roles.push(...(page.PolicyRoles ?? []).map((r) => r.RoleName!));
      attachments.users.push(...(page.PolicyUsers ?? []).map((u) => u.UserName!));
      attachments.groups.push(...(page.PolicyGroups ?? []).map((g) => g.GroupName!));
    }
  });
  return attachments;
}

async function readVersions(iam: IAMClient, policyArn: string): Promise<PolicyVersions> {
  const versions = await iamCall(`ListPolicyVersions ${policyArn}`, () =>
    allItems(
      paginateListPolicyVersions({ client: iam, pageSize: 1000 }, { PolicyArn: policyArn }),
      (page) => page.Versions,
    ),
  );
  return policyVersions(versions);
}

/** What DeletePolicy refuses to go with: attachments to detach and non-default versions to delete. */
interface PolicyHoldings {
  readonly attachments: PolicyAttachments;
  readonly otherVersionIds: readonly string[];
}

/**
 * What the plan recorded (describe's `attachments` and `versionIds`), or
 * undefined when the plan lacks it (a plan file from an older version): then
 * delete reads it fresh.
 */
function plannedHoldings(found: Found): PolicyHoldings | undefined {
  const { attachments, versionIds } = found.details ?? {};
  if (typeof attachments !== "object" || attachments === null || !isStringArray(versionIds)) return undefined;
  const { roles, users, groups } = attachments as Partial<Record<keyof PolicyAttachments, unknown>>;
  if (!isStringArray(roles) || !isStringArray(users) || !isStringArray(groups)) return undefined;
  return { attachments: { roles, users, groups }, otherVersionIds: versionIds };
}

/**
 * A policy's attachments and versions, read one by one: at delete when the
 * plan lacks them or DeletePolicy refused, and while planning for a policy the
 * account's one read did not see (made since, or the credentials may not make
 * that read). NoSuchEntity means the policy is gone.
 */
async function readPolicy(iam: IAMClient, policyArn: string): Promise<PolicyDetails> {
  const [attachments, versions] = await Promise.all([readAttachments(iam, policyArn), readVersions(iam, policyArn)]);
  return { attachments, versions };
}

/** Every attachment and non-default version as they are now. */
async function readHoldings(iam: IAMClient, policyArn: string): Promise<PolicyHoldings> {
  const { attachments, versions } = await readPolicy(iam, policyArn);
  return { attachments, otherVersionIds: versions.otherVersionIds };
}

/** Detaches the policy, deletes its non-default versions, as `holdings` says, then deletes it. */
async function deletePolicyWith(iam: IAMClient, policyArn: string, holdings: PolicyHoldings): Promise<void> {
  const { attachments, otherVersionIds } = holdings;
  for (const roleName of attachments.roles) {
    await removeOwned(`DetachRolePolicy ${roleName} ${policyArn}`, () =>
      iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })),
    );
  }
  for (const userName of attachments.users) {
    await removeOwned(`DetachUserPolicy ${userName} ${policyArn}`, () =>
      iam.send(new DetachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn })),
    );
  }
  for (const groupName of attachments.groups) {
    await removeOwned(`DetachGroupPolicy ${groupName} ${policyArn}`, () =>
      iam.send(new DetachGroupPolicyCommand({ GroupName: groupName, PolicyArn: policyArn })),
    );
  }
  // A version made the default since the plan is refused (DeleteConflict): then the versions are read fresh.
  for (const versionId of otherVersionIds) {
    await removeRecorded(`DeletePolicyVersion ${policyArn} ${versionId}`, () =>
      iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId })),
    );
  }
  await deleteEntity(`DeletePolicy ${policyArn}`, () => iam.send(new DeletePolicyCommand({ PolicyArn: policyArn })));
}

function attachmentCount(a: PolicyAttachments): number {
  return a.roles.length + a.users.length + a.groups.length;
}

function policyChildren(attachments: PolicyAttachments, versions: PolicyVersions): Child[] {
  const children: Child[] = [];
  const attached = (
    [
      ["roles", attachments.roles],
      ["users", attachments.users],
      ["groups", attachments.groups],
    ] as const
  ).filter(([, names]) => names.length > 0);
  if (attached.length > 0) {
    children.push({
      kind: "attachments",
      count: attachmentCount(attachments),
      note: attached.map(([kind, names]) => `${kind}: ${names.join(", ")}`).join("; "),
    });
  }
  const { defaultVersionId, otherVersionIds } = versions;
  children.push({
    kind: "versions",
    count: otherVersionIds.length + (defaultVersionId ? 1 : 0),
    note: [
      defaultVersionId && `default ${defaultVersionId}`,
      otherVersionIds.length > 0 && `also ${otherVersionIds.join(", ")}`,
    ]
      .filter(Boolean)
      .join("; "),
  });
  return children;
}

function policyNotes(found: Found, attachments: PolicyAttachments): string[] {
  const notes: string[] = [];
  if (attachmentCount(attachments) > 0) {
    notes.push(
      `detached from ${attachmentCount(attachments)} role(s)/user(s)/group(s) first: ` +
        "those that are not deleted in this run lose the permissions it grants",
    );
  }
  const boundaryUses = found.details?.permissionsBoundaryUsageCount;
  if (typeof boundaryUses === "number" && boundaryUses > 0) {
    notes.push(
      `it is the permissions boundary of ${boundaryUses} user(s)/role(s): the runner never lifts a boundary ` +
        "from what it does not delete, so DeletePolicy waits until those are gone (roles in this run go first)",
    );
  }
  return notes;
}

/** `iam.policy`: a customer-managed IAM policy, with its attachments and non-default versions. */
export const policy = defineResource({
  type: "iam.policy",
  description: "Customer-managed IAM policies, detached from every user, group and role first; never AWS-managed ones.",
  scope: "global",
  // Like roles, a policy outlives what other services run with its
  // permissions; and after the roles of the run, whose own deletes detach it
  // (and take the boundaries it sets on them along), so each attachment is undone once.
  dependsOn: ["*", "iam.role"],
  deletesWith: ["its attachments to users, groups and roles", "its non-default versions"],

  async *discover(ctx) {
    const iam = ctx.client(IAMClient);
    const pages = paginateListPolicies({ client: iam, pageSize: 1000 }, { Scope: "Local", OnlyAttached: false });
    for await (const page of pages) {
      for (const p of page.Policies ?? []) yield policyFound(p);
    }
  },

  async readTags(ctx, found) {
    const iam = ctx.client(IAMClient);
    const tags = await iamCall(`ListPolicyTags ${found.id}`, () =>
      allItems(paginateListPolicyTags({ client: iam, pageSize: 1000 }, { PolicyArn: found.id }), (page) => page.Tags),
    );
    return tagRecord(tags);
  },

  async describe(ctx, found) {
    const iam = ctx.client(IAMClient);
    const { attachments, versions } =
      (await accountDetails(iam)).policies.get(found.id) ?? (await readPolicy(iam, found.id));
    const described: Found = {
      ...found,
      details: { ...found.details, attachments, versionIds: versions.otherVersionIds },
      children: policyChildren(attachments, versions),
      notes: policyNotes(found, attachments),
    };
    const reason = awsManagedPolicyReason(found.id);
    return reason ? { ...described, protectedReason: reason } : described;
  },

  protectedReason(found) {
    return awsManagedPolicyReason(found.arn ?? found.id);
  },

  async delete(ctx, found) {
    const policyArn = found.id;
    const reason = awsManagedPolicyReason(policyArn);
    if (reason) throw new ProtectedError(`policy ${policyArn}: ${reason}`);
    const iam = ctx.client(IAMClient);
    // What the plan recorded; DeletePolicy answers DeleteConflict while an
    // attachment or a non-default version remains (one made since the plan, a
    // role outside the run, or one IAM does not yet see removed), and
    // DeletePolicyVersion for a planned version made the default since: then a fresh
    // read and one more attempt; a second refusal stays a retryable
    // DependencyPending. NoSuchEntity from DeletePolicy means already gone.
    const recorded = plannedHoldings(found);
    // This type goes after iam.role, whose deletes detach the policy from the
    // roles of the run: roles this run deleted hold nothing. When the plan saw
    // another role holding it (outside the run, or one whose delete failed),
    // one fresh ListEntitiesForPolicy costs less than a DetachRolePolicy per
    // role that would mostly answer NoSuchEntity, and finds who holds it now.
    const rolesStillHolding = recorded?.attachments.roles.filter((name) => !roleDeletedInRun(iam, name)) ?? [];
    const planned =
      recorded && rolesStillHolding.length > 0
        ? { ...recorded, attachments: await readAttachments(iam, policyArn) }
        : recorded && { ...recorded, attachments: { ...recorded.attachments, roles: [] } };
    await deleteWithPlannedChildren(
      planned,
      () => readHoldings(iam, policyArn),
      (holdings) => deletePolicyWith(iam, policyArn, holdings),
      refusedForWhatItHolds,
    );
  },

  async verify(ctx, found) {
    const iam = ctx.client(IAMClient);
    const read = await readUnlessGone(`GetPolicy ${found.id}`, () =>
      iam.send(new GetPolicyCommand({ PolicyArn: found.id })),
    );
    return read ? "present" : "gone";
  },
});
