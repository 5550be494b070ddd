/**
 * What AWS owns in IAM and the runner never deletes, whatever a manifest
 * says. One list of role rules (each a name, what it matches and why) and
 * one policy rule; `docs/safety.md` documents this file.
 */
import { allowStatements, statementPrincipals } from "./policy-document.js";

/** What the role rules look at. Everything but name and path is optional: rules that need it skip without it. */
export interface RoleFacts {
  /** The role's name. */
  readonly name: string;
  /** The role's path, e.g. `/` or `/aws-service-role/support.amazonaws.com/`. */
  readonly path: string;
  /** The trust policy (AssumeRolePolicyDocument), URL-encoded as IAM returns it, or plain JSON. */
  readonly trustPolicy?: string;
  /** ARNs of the managed policies attached to the role, once read (describe, delete). */
  readonly attachedPolicyArns?: readonly string[];
}

/** One reason a role is AWS-managed. */
export interface AwsManagedRoleRule {
  /** Stable id, for tests and docs. */
  readonly id: string;
  /** What the rule matches, for people (docs/safety.md). */
  readonly matches: string;
  /** Why such a role must never be deleted: shown in the plan as the protected reason. */
  readonly reason: string;
  /** Whether the rule matches the role. */
  applies(role: RoleFacts): boolean;
}

// IAM names are unique without regard to case (a role "awsservicerolefor-x"
// cannot sit beside "AWSServiceRoleFor-x"), and a rule that protects too much
// only costs a skip: the patterns below compare case-insensitively.
function startsWith(value: string, prefix: string): boolean {
  return value.toLowerCase().startsWith(prefix.toLowerCase());
}

const servicePolicyArn = /^arn:[a-z0-9-]+:iam::aws:policy\/aws-service-role\//i;
const awsManagedPolicyArn = /^arn:[a-z0-9-]+:iam::aws:policy\//i;
const identityCenterSamlProvider = /:saml-provider\/AWSSSO_/i;

/** True when the trust policy lets AWS services, and nobody else, assume the role. */
function onlyServicesMayAssume(trustPolicy: string | undefined): boolean {
  const allows = allowStatements(trustPolicy);
  return (
    allows.length > 0 &&
    allows.every((statement) => {
      if (statement.NotPrincipal !== undefined) return false;
      const p = statementPrincipals(statement);
      return (
        p.service.length > 0 &&
        !p.anyone &&
        p.aws.length === 0 &&
        p.federated.length === 0 &&
        p.canonicalUser.length === 0
      );
    })
  );
}

/** The rules, in the order the plan reports the first that matches. */
export const awsManagedRoleRules: readonly AwsManagedRoleRule[] = [
  {
    id: "service-linked-path",
    matches: "path starts with /aws-service-role/",
    reason:
      "service-linked role (path /aws-service-role/): it belongs to the AWS service named in its path; only " +
      "that service (or DeleteServiceLinkedRole, once nothing uses it) may delete it",
    applies: (role) => startsWith(role.path, "/aws-service-role/"),
  },
  {
    id: "aws-reserved-path",
    matches: "path starts with /aws-reserved/",
    reason:
      "reserved by AWS (path /aws-reserved/, where IAM Identity Center keeps its permission-set roles): " +
      "deleting it can lock people out of this account",
    applies: (role) => startsWith(role.path, "/aws-reserved/"),
  },
  {
    id: "service-linked-name",
    matches: "name starts with AWSServiceRoleFor",
    reason: "service-linked role (name AWSServiceRoleFor*): it belongs to an AWS service, not to this workload",
    applies: (role) => startsWith(role.name, "AWSServiceRoleFor"),
  },
  {
    id: "identity-center-name",
    matches: "name starts with AWSReservedSSO_",
    reason:
      "IAM Identity Center (SSO) permission-set role (name AWSReservedSSO_*): Identity Center manages it, " +
      "and deleting it locks its users out of this account",
    applies: (role) => startsWith(role.name, "AWSReservedSSO_"),
  },
  {
    id: "organizations-access",
    matches: "name is OrganizationAccountAccessRole",
    reason:
      "OrganizationAccountAccessRole: AWS Organizations made it for the management account to administer " +
      "this account; deleting it can leave the account without a way in",
    applies: (role) => role.name.toLowerCase() === "organizationaccountaccessrole",
  },
  {
    id: "control-tower",
    matches: "name starts with AWSControlTower (AWSControlTowerExecution, AWSControlTowerAdmin, ...)",
    reason:
      "AWS Control Tower role (name AWSControlTower*): Control Tower governs the account through it; " +
      "deleting it breaks the landing zone",
    applies: (role) => startsWith(role.name, "AWSControlTower"),
  },
  {
    id: "control-tower-baseline",
    matches: "name starts with aws-controltower- (aws-controltower-AdministratorExecutionRole, ...)",
    reason:
      "role AWS Control Tower deploys into enrolled accounts (name aws-controltower-*: execution, audit, " +
      "Config recorder, notification forwarding); deleting it breaks the landing zone's controls",
    applies: (role) => startsWith(role.name, "aws-controltower-"),
  },
  {
    id: "stacksets-execution",
    matches: "name starts with stacksets-exec-",
    reason:
      "CloudFormation StackSets execution role (name stacksets-exec-*): made by service-managed StackSets " +
      "(and Control Tower) to deploy into this account from the organisation",
    applies: (role) => startsWith(role.name, "stacksets-exec-"),
  },
  {
    id: "identity-center-trust",
    matches: "trust policy federates through an AWSSSO_* SAML provider",
    reason:
      "its trust policy lets people sign in through IAM Identity Center's SAML provider (AWSSSO_*): " +
      "an Identity Center role, whatever its name",
    applies: (role) =>
      allowStatements(role.trustPolicy).some((statement) =>
        statementPrincipals(statement).federated.some((arn) => identityCenterSamlProvider.test(arn)),
      ),
  },
  {
    id: "service-linked-trust",
    matches:
      "trust policy lets only AWS services assume the role, and a service-linked-role policy " +
      "(arn:*:iam::aws:policy/aws-service-role/...) is attached",
    reason:
      "service-linked role: only AWS services may assume it and it carries a policy AWS attaches only to " +
      "service-linked roles (aws-service-role/...); the service that owns it deletes it",
    applies: (role) =>
      (role.attachedPolicyArns ?? []).some((arn) => servicePolicyArn.test(arn)) &&
      onlyServicesMayAssume(role.trustPolicy),
  },
];

/** The first rule that matches the role, if any. */
export function awsManagedRoleRule(role: RoleFacts): AwsManagedRoleRule | undefined {
  return awsManagedRoleRules.find((rule) => rule.applies(role));
}

/** Why the role must never be deleted, or undefined when it may be. */
export function awsManagedRoleReason(role: RoleFacts): string | undefined {
  return awsManagedRoleRule(role)?.reason;
}

/** The rule for policies: AWS-managed policies live under `arn:<partition>:iam::aws:policy/`. */
export const awsManagedPolicyRule = {
  id: "aws-managed-policy",
  matches: "ARN starts with arn:<partition>:iam::aws:policy/ (aws, aws-cn, aws-us-gov, ...)",
  reason:
    "AWS-managed policy (arn:...:iam::aws:policy/...): AWS owns it and shares it with every account; " +
    "it is detached from roles being deleted, never deleted",
} as const;

/** True for an AWS-managed policy ARN, in any partition. */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return awsManagedPolicyArn.test(arn);
}

/** Why the policy must never be deleted, or undefined when it may be. */
export function awsManagedPolicyReason(arn: string): string | undefined {
  return isAwsManagedPolicyArn(arn) ? awsManagedPolicyRule.reason : undefined;
}
