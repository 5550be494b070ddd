/**
 * An in-memory IAM for unit tests, installed on an aws-sdk-client-mock stub
 * of IAMClient. It keeps state and answers as the IAM API reference says AWS
 * does (which moto does not always): DeleteRole and DeletePolicy refuse with
 * DeleteConflict while something is attached, service-linked roles answer
 * UnmodifiableEntity, removing what is not there answers NoSuchEntity, list
 * calls page by Marker and MaxItems (at most 1000) and may return fewer items
 * than asked, and ListRoles hands the trust policy back URL-encoded without
 * tags or permissions boundary. GetAccountAuthorizationDetails pages over
 * the roles, users, groups and customer-managed policies its Filter asks for,
 * in that order. Test code only.
 */
import {
  DeleteConflictException,
  DeleteInstanceProfileCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetRoleCommand,
  InvalidInputException,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListInstanceProfilesCommand,
  ListInstanceProfilesForRoleCommand,
  ListPoliciesCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  ListRolesCommand,
  NoSuchEntityException,
  RemoveRoleFromInstanceProfileCommand,
  UnmodifiableEntityException,
  type AttachedPolicy,
  type IAMClient,
  type InstanceProfile,
  type Policy,
  type Role,
  type Tag,
} from "@aws-sdk/client-iam";
import type { AwsClientStub } from "aws-sdk-client-mock";

/** A role as the fake keeps it. */
export interface FakeRole {
  name: string;
  path: string;
  /** The trust policy as plain JSON; the fake URL-encodes it in answers, as IAM does. */
  trustPolicy: string;
  createDate: Date;
  tags: Tag[];
  inlinePolicies: string[];
  attachedPolicyArns: string[];
  permissionsBoundaryArn?: string;
  /** Created by CreateServiceLinkedRole: IAM refuses every change to it. */
  serviceLinked: boolean;
}

/** A managed policy as the fake keeps it. */
export interface FakePolicy {
  arn: string;
  name: string;
  path: string;
  createDate: Date;
  tags: Tag[];
  versionIds: string[];
  defaultVersionId: string;
}

/** An instance profile as the fake keeps it. */
export interface FakeInstanceProfile {
  name: string;
  path: string;
  createDate: Date;
  tags: Tag[];
  roleNames: string[];
}

/** A principal (user or group) that managed policies can be attached to. */
interface FakePrincipal {
  attachedPolicyArns: string[];
  permissionsBoundaryArn?: string;
}

interface PageInput {
  Marker?: string | undefined;
  MaxItems?: number | undefined;
}

const accountId = "123456789012";

function noSuchEntity(message: string): NoSuchEntityException {
  return new NoSuchEntityException({ message, $metadata: { httpStatusCode: 404 } });
}

function deleteConflict(message: string): DeleteConflictException {
  return new DeleteConflictException({ message, $metadata: { httpStatusCode: 409 } });
}

function unmodifiable(role: FakeRole): UnmodifiableEntityException {
  return new UnmodifiableEntityException({
    message: `Cannot perform the operation on the protected role '${role.name}' - this role is only modifiable by AWS`,
    $metadata: { httpStatusCode: 400 },
  });
}

function without<T>(list: T[], item: T): boolean {
  const index = list.indexOf(item);
  if (index < 0) return false;
  list.splice(index, 1);
  return true;
}

/** The in-memory IAM. Seed it with the `add*` methods, then `install` it on a stub. */
export class FakeIam {
  readonly roles = new Map<string, FakeRole>();
  readonly policies = new Map<string, FakePolicy>();
  readonly profiles = new Map<string, FakeInstanceProfile>();
  readonly users = new Map<string, FakePrincipal>();
  readonly groups = new Map<string, FakePrincipal>();
  /** The most items any list answer holds, whatever MaxItems asks ("IAM might return fewer results"). */
  maxPageSize = 1000;
  /** Leave IsTruncated out of ListInstanceProfiles answers, as moto does. */
  omitIsTruncatedFromListInstanceProfiles = false;

  addRole(role: Partial<FakeRole> & { name: string }): FakeRole {
    const full: FakeRole = {
      path: "/",
      trustPolicy: trustPolicyFor("lambda.amazonaws.com"),
      createDate: new Date("2024-01-02T03:04:05Z"),
      tags: [],
      inlinePolicies: [],
      attachedPolicyArns: [],
      serviceLinked: false,
      ...role,
    };
    this.roles.set(full.name, full);
    return full;
  }

  addPolicy(policy: Partial<FakePolicy> & { name: string }): FakePolicy {
    const path = policy.path ?? "/";
    const full: FakePolicy = {
      arn: `arn:aws:iam::${accountId}:policy${path}${policy.name}`,
      path,
      createDate: new Date("2024-01-02T03:04:05Z"),
      tags: [],
      versionIds: ["v1"],
      defaultVersionId: "v1",
      ...policy,
    };
    this.policies.set(full.arn, full);
    return full;
  }

  addInstanceProfile(profile: Partial<FakeInstanceProfile> & { name: string }): FakeInstanceProfile {
    const full: FakeInstanceProfile = {
      path: "/",
      createDate: new Date("2024-01-02T03:04:05Z"),
      tags: [],
      roleNames: [],
      ...profile,
    };
    this.profiles.set(full.name, full);
    return full;
  }

  /** Attaches a managed policy to a role, user or group (by name), as AttachXPolicy would. */
  attach(policyArn: string, to: { role?: string; user?: string; group?: string }): void {
    if (to.role) this.role(to.role).attachedPolicyArns.push(policyArn);
    if (to.user) this.principal(this.users, to.user).attachedPolicyArns.push(policyArn);
    if (to.group) this.principal(this.groups, to.group).attachedPolicyArns.push(policyArn);
  }

  /** Every role, user and group the policy is still attached to (as a permissions policy). */
  attachmentsOf(policyArn: string): string[] {
    const out: string[] = [];
    for (const r of this.roles.values()) if (r.attachedPolicyArns.includes(policyArn)) out.push(`role/${r.name}`);
    for (const [n, u] of this.users) if (u.attachedPolicyArns.includes(policyArn)) out.push(`user/${n}`);
    for (const [n, g] of this.groups) if (g.attachedPolicyArns.includes(policyArn)) out.push(`group/${n}`);
    return out;
  }

  /** Answers every IAM command the plugin uses from this state. */
  install(stub: AwsClientStub<IAMClient>): void {
    stub
      .on(GetAccountAuthorizationDetailsCommand)
      .callsFake((input: { Filter?: string[] } & PageInput) => this.accountDetails(input));
    stub.on(ListRolesCommand).callsFake((input: { PathPrefix?: string } & PageInput) => {
      const roles = [...this.roles.values()].filter((r) => r.path.startsWith(input.PathPrefix ?? "/"));
      const { items, ...paging } = this.page(roles, input);
      return { Roles: items.map((r) => this.roleShape(r, false)), ...paging };
    });
    stub.on(GetRoleCommand).callsFake((input: { RoleName: string }) => ({
      Role: this.roleShape(this.role(input.RoleName), true),
    }));
    stub.on(ListRoleTagsCommand).callsFake((input: { RoleName: string } & PageInput) => {
      const { items, ...paging } = this.page(this.role(input.RoleName).tags, input);
      return { Tags: items, ...paging };
    });
    stub.on(ListRolePoliciesCommand).callsFake((input: { RoleName: string } & PageInput) => {
      const { items, ...paging } = this.page(this.role(input.RoleName).inlinePolicies, input);
      return { PolicyNames: items, ...paging };
    });
    stub.on(ListAttachedRolePoliciesCommand).callsFake((input: { RoleName: string } & PageInput) => {
      const { items, ...paging } = this.page(this.role(input.RoleName).attachedPolicyArns, input);
      return {
        AttachedPolicies: items.map((arn) => ({ PolicyArn: arn, PolicyName: arn.split("/").pop() })),
        ...paging,
      };
    });
    stub.on(ListInstanceProfilesForRoleCommand).callsFake((input: { RoleName: string } & PageInput) => {
      this.role(input.RoleName);
      const profiles = [...this.profiles.values()].filter((p) => p.roleNames.includes(input.RoleName));
      const { items, ...paging } = this.page(profiles, input);
      return { InstanceProfiles: items.map((p) => this.profileShape(p)), ...paging };
    });
    stub.on(DeleteRolePolicyCommand).callsFake((input: { RoleName: string; PolicyName: string }) => {
      const role = this.mutableRole(input.RoleName);
      if (!without(role.inlinePolicies, input.PolicyName)) {
        throw noSuchEntity(`The role policy with name ${input.PolicyName} cannot be found.`);
      }
      return {};
    });
    stub.on(DetachRolePolicyCommand).callsFake((input: { RoleName: string; PolicyArn: string }) => {
      const role = this.mutableRole(input.RoleName);
      if (!without(role.attachedPolicyArns, input.PolicyArn)) {
        throw noSuchEntity(`Policy ${input.PolicyArn} was not found.`);
      }
      return {};
    });
    stub
      .on(RemoveRoleFromInstanceProfileCommand)
      .callsFake((input: { InstanceProfileName: string; RoleName: string }) => {
        const profile = this.profile(input.InstanceProfileName);
        this.mutableRole(input.RoleName);
        if (!without(profile.roleNames, input.RoleName)) {
          throw noSuchEntity(`Role ${input.RoleName} is not in instance profile ${input.InstanceProfileName}.`);
        }
        return {};
      });
    stub.on(DeleteInstanceProfileCommand).callsFake((input: { InstanceProfileName: string }) => {
      const profile = this.profile(input.InstanceProfileName);
      if (profile.roleNames.length > 0) {
        throw deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
      }
      this.profiles.delete(profile.name);
      return {};
    });
    stub.on(DeleteRoleCommand).callsFake((input: { RoleName: string }) => {
      const role = this.mutableRole(input.RoleName);
      if (role.inlinePolicies.length > 0) throw deleteConflict("Cannot delete entity, must delete policies first.");
      if (role.attachedPolicyArns.length > 0) {
        throw deleteConflict("Cannot delete entity, must detach all policies first.");
      }
      if ([...this.profiles.values()].some((p) => p.roleNames.includes(role.name))) {
        throw deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
      }
      this.roles.delete(role.name);
      return {};
    });

    stub.on(ListPoliciesCommand).callsFake((input: { Scope?: string } & PageInput) => {
      const scope = input.Scope ?? "All";
      const policies = [...this.policies.values()].filter((p) => {
        const aws = p.arn.startsWith("arn:aws:iam::aws:");
        return scope === "All" || (scope === "AWS") === aws;
      });
      const { items, ...paging } = this.page(policies, input);
      return { Policies: items.map((p) => this.policyShape(p)), ...paging };
    });
    stub.on(GetPolicyCommand).callsFake((input: { PolicyArn: string }) => ({
      Policy: this.policyShape(this.policy(input.PolicyArn)),
    }));
    stub.on(ListPolicyTagsCommand).callsFake((input: { PolicyArn: string } & PageInput) => {
      const { items, ...paging } = this.page(this.policy(input.PolicyArn).tags, input);
      return { Tags: items, ...paging };
    });
    stub
      .on(ListEntitiesForPolicyCommand)
      .callsFake((input: { PolicyArn: string; PolicyUsageFilter?: string } & PageInput) => {
        const arn = this.policy(input.PolicyArn).arn;
        const uses = (p: FakePrincipal | FakeRole): boolean =>
          (input.PolicyUsageFilter !== "PermissionsBoundary" && p.attachedPolicyArns.includes(arn)) ||
          (input.PolicyUsageFilter !== "PermissionsPolicy" && p.permissionsBoundaryArn === arn);
        const entities = [
          ...[...this.roles.values()].filter(uses).map((r) => ({ kind: "role" as const, name: r.name })),
          ...[...this.users].filter(([, u]) => uses(u)).map(([name]) => ({ kind: "user" as const, name })),
          ...[...this.groups].filter(([, g]) => uses(g)).map(([name]) => ({ kind: "group" as const, name })),
        ];
        const { items, ...paging } = this.page(entities, input);
        return {
          PolicyRoles: items
            .filter((e) => e.kind === "role")
            .map((e) => ({ RoleName: e.name, RoleId: `AROA${e.name}` })),
          PolicyUsers: items
            .filter((e) => e.kind === "user")
            .map((e) => ({ UserName: e.name, UserId: `AIDA${e.name}` })),
          PolicyGroups: items
            .filter((e) => e.kind === "group")
            .map((e) => ({ GroupName: e.name, GroupId: `AGPA${e.name}` })),
          ...paging,
        };
      });
    stub.on(DetachUserPolicyCommand).callsFake((input: { UserName: string; PolicyArn: string }) => {
      if (!without(this.principal(this.users, input.UserName).attachedPolicyArns, input.PolicyArn)) {
        throw noSuchEntity(`Policy ${input.PolicyArn} was not found.`);
      }
      return {};
    });
    stub.on(DetachGroupPolicyCommand).callsFake((input: { GroupName: string; PolicyArn: string }) => {
      if (!without(this.principal(this.groups, input.GroupName).attachedPolicyArns, input.PolicyArn)) {
        throw noSuchEntity(`Policy ${input.PolicyArn} was not found.`);
      }
      return {};
    });
    stub.on(ListPolicyVersionsCommand).callsFake((input: { PolicyArn: string } & PageInput) => {
      const policy = this.policy(input.PolicyArn);
      const { items, ...paging } = this.page(policy.versionIds, input);
      return {
        Versions: items.map((id) => ({ VersionId: id, IsDefaultVersion: id === policy.defaultVersionId })),
        ...paging,
      };
    });
    stub.on(DeletePolicyVersionCommand).callsFake((input: { PolicyArn: string; VersionId: string }) => {
      const policy = this.policy(input.PolicyArn);
      if (input.VersionId === policy.defaultVersionId) {
        throw deleteConflict("Cannot delete the default version of a policy.");
      }
      if (!without(policy.versionIds, input.VersionId)) throw noSuchEntity(`Version ${input.VersionId} not found.`);
      return {};
    });
    stub.on(DeletePolicyCommand).callsFake((input: { PolicyArn: string }) => {
      const policy = this.policy(input.PolicyArn);
      if (this.attachmentsOf(policy.arn).length > 0)
        throw deleteConflict("Cannot delete a policy attached to entities.");
      if (policy.versionIds.length > 1) {
        throw deleteConflict(
          "This policy has more than one version. Before you delete a policy, you must delete the policy's versions.",
        );
      }
      this.policies.delete(policy.arn);
      return {};
    });

    stub.on(ListInstanceProfilesCommand).callsFake((input: PageInput) => {
      const { items, IsTruncated, Marker } = this.page([...this.profiles.values()], input);
      return {
        InstanceProfiles: items.map((p) => this.profileShape(p)),
        ...(this.omitIsTruncatedFromListInstanceProfiles ? {} : { IsTruncated }),
        ...(Marker ? { Marker } : {}),
      };
    });
    stub.on(GetInstanceProfileCommand).callsFake((input: { InstanceProfileName: string }) => {
      const profile = this.profile(input.InstanceProfileName);
      return {
        InstanceProfile: { ...this.profileShape(profile), ...(profile.tags.length > 0 ? { Tags: profile.tags } : {}) },
      };
    });
  }

  /** The GetAccountAuthorizationDetails answer for one page. */
  private accountDetails(input: { Filter?: string[] } & PageInput): object {
    const wanted = (kind: string) =>
      input.Filter === undefined || input.Filter.length === 0 || input.Filter.includes(kind);
    const attached = (arns: readonly string[]): AttachedPolicy[] =>
      arns.map((arn) => ({ PolicyArn: arn, PolicyName: arn.split("/").pop() }));
    type Entry =
      | { kind: "role"; role: FakeRole }
      | { kind: "user"; name: string; principal: FakePrincipal }
      | { kind: "group"; name: string; principal: FakePrincipal }
      | { kind: "policy"; policy: FakePolicy };
    const entries: Entry[] = [
      ...(wanted("Role") ? [...this.roles.values()].map((role) => ({ kind: "role" as const, role })) : []),
      ...(wanted("User")
        ? [...this.users].map(([name, principal]) => ({ kind: "user" as const, name, principal }))
        : []),
      ...(wanted("Group")
        ? [...this.groups].map(([name, principal]) => ({ kind: "group" as const, name, principal }))
        : []),
      ...(wanted("LocalManagedPolicy")
        ? [...this.policies.values()]
            .filter((policy) => !policy.arn.startsWith("arn:aws:iam::aws:"))
            .map((policy) => ({ kind: "policy" as const, policy }))
        : []),
    ];
    const { items, ...paging } = this.page(entries, input);
    const details = {
      RoleDetailList: [] as object[],
      UserDetailList: [] as object[],
      GroupDetailList: [] as object[],
      Policies: [] as object[],
    };
    for (const item of items) {
      if (item.kind === "role") {
        const { role } = item;
        details.RoleDetailList.push({
          ...this.roleShape(role, true),
          InstanceProfileList: [...this.profiles.values()]
            .filter((p) => p.roleNames.includes(role.name))
            .map((p) => this.profileShape(p)),
          RolePolicyList: role.inlinePolicies.map((name) => ({ PolicyName: name, PolicyDocument: "%7B%7D" })),
          AttachedManagedPolicies: attached(role.attachedPolicyArns),
        });
      } else if (item.kind === "user") {
        details.UserDetailList.push({
          UserName: item.name,
          AttachedManagedPolicies: attached(item.principal.attachedPolicyArns),
        });
      } else if (item.kind === "group") {
        details.GroupDetailList.push({
          GroupName: item.name,
          AttachedManagedPolicies: attached(item.principal.attachedPolicyArns),
        });
      } else {
        const { policy } = item;
        details.Policies.push({
          ...this.policyShape(policy),
          PolicyVersionList: policy.versionIds.map((id) => ({
            VersionId: id,
            IsDefaultVersion: id === policy.defaultVersionId,
          })),
        });
      }
    }
    return { ...details, ...paging };
  }

  private page<T>(all: readonly T[], input: PageInput): { items: T[]; IsTruncated: boolean; Marker?: string } {
    const maxItems = input.MaxItems ?? 100;
    if (maxItems < 1 || maxItems > 1000) {
      throw new InvalidInputException({ message: "MaxItems must be between 1 and 1000", $metadata: {} });
    }
    const start = input.Marker ? Number(input.Marker.replace(/^page-/, "")) : 0;
    const end = start + Math.min(maxItems, this.maxPageSize);
    const items = all.slice(start, end);
    return end < all.length ? { items, IsTruncated: true, Marker: `page-${end}` } : { items, IsTruncated: false };
  }

  private role(name: string): FakeRole {
    const role = this.roles.get(name);
    if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
    return role;
  }

  private mutableRole(name: string): FakeRole {
    const role = this.role(name);
    if (role.serviceLinked) throw unmodifiable(role);
    return role;
  }

  private policy(arn: string): FakePolicy {
    const policy = this.policies.get(arn);
    if (!policy) throw noSuchEntity(`Policy ${arn} was not found.`);
    return policy;
  }

  private profile(name: string): FakeInstanceProfile {
    const profile = this.profiles.get(name);
    if (!profile) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
    return profile;
  }

  private principal(map: Map<string, FakePrincipal>, name: string): FakePrincipal {
    let principal = map.get(name);
    if (!principal) {
      principal = { attachedPolicyArns: [] };
      map.set(name, principal);
    }
    return principal;
  }

  private roleShape(role: FakeRole, full: boolean): Role {
    return {
      RoleName: role.name,
      RoleId: `AROA${role.name.toUpperCase()}`,
      Path: role.path,
      Arn: `arn:aws:iam::${accountId}:role${role.path}${role.name}`,
      CreateDate: role.createDate,
      AssumeRolePolicyDocument: encodeURIComponent(role.trustPolicy),
      // ListRoles leaves out tags and the permissions boundary; GetRole has them.
      ...(full && role.tags.length > 0 ? { Tags: role.tags } : {}),
      ...(full && role.permissionsBoundaryArn
        ? {
            PermissionsBoundary: {
              PermissionsBoundaryType: "PermissionsBoundaryPolicy",
              PermissionsBoundaryArn: role.permissionsBoundaryArn,
            },
          }
        : {}),
    };
  }

  private policyShape(policy: FakePolicy): Policy {
    return {
      PolicyName: policy.name,
      PolicyId: `ANPA${policy.name.toUpperCase()}`,
      Arn: policy.arn,
      Path: policy.path,
      DefaultVersionId: policy.defaultVersionId,
      AttachmentCount: this.attachmentsOf(policy.arn).length,
      PermissionsBoundaryUsageCount: [...this.roles.values(), ...this.users.values()].filter(
        (p) => p.permissionsBoundaryArn === policy.arn,
      ).length,
      IsAttachable: true,
      CreateDate: policy.createDate,
    };
  }

  /** As ListInstanceProfiles returns it: without tags. */
  private profileShape(profile: FakeInstanceProfile): InstanceProfile {
    return {
      InstanceProfileName: profile.name,
      InstanceProfileId: `AIPA${profile.name.toUpperCase()}`,
      Path: profile.path,
      Arn: `arn:aws:iam::${accountId}:instance-profile${profile.path}${profile.name}`,
      CreateDate: profile.createDate,
      Roles: profile.roleNames.map((name) => this.roleShape(this.role(name), false)),
    };
  }
}

/** The trust policy of a role that the given AWS services may assume. */
export function trustPolicyFor(...services: string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: services.length === 1 ? services[0] : services },
        Action: "sts:AssumeRole",
      },
    ],
  });
}
