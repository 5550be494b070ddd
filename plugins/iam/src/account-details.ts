/**
 * What planning needs to know of every role and customer-managed policy it
 * describes, read for the whole account at once instead of five reads a role
 * or policy (ListRolePolicies, ListAttachedRolePolicies,
 * ListInstanceProfilesForRole, ListEntitiesForPolicy, ListPolicyVersions).
 */
import {
  IAMClient,
  paginateGetAccountAuthorizationDetails,
  type AttachedPolicy,
  type EntityType,
  type InstanceProfile,
  type PolicyVersion,
} from "@aws-sdk/client-iam";
import { AccessDeniedError, oncePerClient } from "@cleanup-runner/plugin-kit";
import { iamCall } from "./iam-errors.js";

/** A managed policy attached to a role. */
export interface AttachedPolicyRef {
  readonly name: string;
  readonly arn: string;
}

/** An instance profile the role is in, with every role the profile holds. */
export interface InstanceProfileRef {
  readonly name: string;
  readonly roleNames: readonly string[];
}

/** What a role owns: what describe shows and delete removes. */
export interface RoleAttachments {
  readonly inlinePolicyNames: string[];
  readonly attachedPolicies: AttachedPolicyRef[];
  readonly instanceProfiles: InstanceProfileRef[];
}

/** The users, groups and roles a policy is attached to as a permissions policy. */
export interface PolicyAttachments {
  readonly roles: string[];
  readonly users: string[];
  readonly groups: string[];
}

/** A policy's versions: the default one goes with DeletePolicy, the others one by one before it. */
export interface PolicyVersions {
  readonly defaultVersionId: string | undefined;
  readonly otherVersionIds: string[];
}

/** What a customer-managed policy holds: what describe shows and delete removes. */
export interface PolicyDetails {
  readonly attachments: PolicyAttachments;
  readonly versions: PolicyVersions;
}

/** The account's roles (by name) and customer-managed policies (by ARN), as one read saw them. */
export interface AccountDetails {
  readonly roles: ReadonlyMap<string, RoleAttachments>;
  readonly policies: ReadonlyMap<string, PolicyDetails>;
}

/** A listed managed-policy attachment as a reference. */
export function attachedPolicyRef(policy: AttachedPolicy): AttachedPolicyRef {
  return { name: policy.PolicyName ?? policy.PolicyArn!, arn: policy.PolicyArn! };
}

/** A listed instance profile as a reference. */
export function instanceProfileRef(profile: InstanceProfile): InstanceProfileRef {
  return { name: profile.InstanceProfileName!, roleNames: (profile.Roles ?? []).map((r) => r.RoleName!) };
}

/**
 * Listed versions of a policy, the default apart; `listedDefault` (the
 * policy's DefaultVersionId) when none is marked default.
 */
export function policyVersions(list: readonly PolicyVersion[], listedDefault?: string): PolicyVersions {
  return {
    defaultVersionId: list.find((v) => v.IsDefaultVersion)?.VersionId ?? listedDefault,
    otherVersionIds: list.filter((v) => !v.IsDefaultVersion).map((v) => v.VersionId!),
  };
}

/** Runs the read; false when the credentials may not make it (AccessDenied), true when it ran. */
async function readUnlessDenied(read: () => Promise<void>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (error) {
    if (error instanceof AccessDeniedError) return false;
    throw error;
  }
}

// Users and groups only for the policies they hold (iam.policy detaches them);
// AWS-managed policies are never described (discover lists Scope=Local).
const filter: EntityType[] = ["Role", "User", "Group", "LocalManagedPolicy"];

/**
 * GetAccountAuthorizationDetails, every page (MaxItems 1000, Marker), once per
 * run: IAM answers for the whole account, and `Filter` chooses which kinds of
 * entity; each role comes with its inline policies (RolePolicyList), attached
 * policies and instance profiles (with their roles), each customer-managed
 * policy with its versions (PolicyVersionList), and who holds a policy follows
 * from every role's, user's and group's AttachedManagedPolicies. Planning
 * only: delete works from what the plan recorded, or reads it fresh.
 */
export const accountDetails = oncePerClient(async (iam: IAMClient): Promise<AccountDetails> => {
  const roles = new Map<string, RoleAttachments>();
  const policies = new Map<string, PolicyDetails>();
  const holders: { kind: keyof PolicyAttachments; name: string; attached: AttachedPolicy[] }[] = [];
  const read = await readUnlessDenied(() =>
    iamCall("GetAccountAuthorizationDetails", async () => {
      const pages = paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 1000 }, { Filter: filter });
      for await (const page of pages) {
        for (const role of page.RoleDetailList ?? []) {
          roles.set(role.RoleName!, {
            inlinePolicyNames: (role.RolePolicyList ?? []).map((p) => p.PolicyName!),
            attachedPolicies: (role.AttachedManagedPolicies ?? []).map(attachedPolicyRef),
            instanceProfiles: (role.InstanceProfileList ?? []).map(instanceProfileRef),
          });
          holders.push({ kind: "roles", name: role.RoleName!, attached: role.AttachedManagedPolicies ?? [] });
        }
        for (const user of page.UserDetailList ?? []) {
          holders.push({ kind: "users", name: user.UserName!, attached: user.AttachedManagedPolicies ?? [] });
        }
        for (const group of page.GroupDetailList ?? []) {
          holders.push({ kind: "groups", name: group.GroupName!, attached: group.AttachedManagedPolicies ?? [] });
        }
        for (const policy of page.Policies ?? []) {
          policies.set(policy.Arn!, {
            attachments: { roles: [], users: [], groups: [] },
            versions: policyVersions(policy.PolicyVersionList ?? [], policy.DefaultVersionId),
          });
        }
      }
    }),
  );
  // Credentials that may list a role's attachments but not the account's
  // details: describe reads each role and policy on its own, as before.
  if (!read) return { roles: new Map(), policies: new Map() };
  // After every page: a holder may come on a page before the policy it holds.
  for (const holder of holders) {
    for (const policy of holder.attached) policies.get(policy.PolicyArn!)?.attachments[holder.kind].push(holder.name);
  }
  return { roles, policies };
});
