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
import { ProtectedError, defineResource, tagRecord, type Child, type Found } from "@cleanup-runner/plugin-kit";
import { awsManagedPolicyReason } from "../aws-managed.js";
import { iamCall, readUnlessGone, removeOwned } from "../iam-errors.js";
import { allItems } from "../listing.js";

/** The users, groups and roles a policy is attached to as a permissions policy. */
interface PolicyAttachments {
  readonly roles: string[];
  readonly users: string[];
  readonly groups: string[];
}

/** A policy's versions: the default one goes with DeletePolicy, the others one by one before it. */
interface PolicyVersions {
  readonly defaultVersionId: string | undefined;
  readonly otherVersionIds: string[];
}

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
  return {
    defaultVersionId: versions.find((v) => v.IsDefaultVersion)?.VersionId,
    otherVersionIds: versions.filter((v) => !v.IsDefaultVersion).map((v) => v.VersionId!),
  };
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
  // (and lift the boundaries it sets on them), so each attachment is undone once.
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
    const [attachments, versions] = await Promise.all([readAttachments(iam, found.id), readVersions(iam, found.id)]);
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
    // A fresh read: NoSuchEntity here means the policy is already gone.
    const attachments = await readAttachments(iam, policyArn);
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
    const versions = await readVersions(iam, policyArn);
    for (const versionId of versions.otherVersionIds) {
      await removeOwned(`DeletePolicyVersion ${policyArn} ${versionId}`, () =>
        iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId })),
      );
    }
    await iamCall(`DeletePolicy ${policyArn}`, () => iam.send(new DeletePolicyCommand({ PolicyArn: policyArn })));
  },

  async verify(ctx, found) {
    const iam = ctx.client(IAMClient);
    const read = await readUnlessGone(`GetPolicy ${found.id}`, () =>
      iam.send(new GetPolicyCommand({ PolicyArn: found.id })),
    );
    return read ? "present" : "gone";
  },
});
