import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  awsManagedPolicyReason,
  awsManagedRoleReason,
  awsManagedRoleRule,
  awsManagedRoleRules,
  isAwsManagedPolicyArn,
  type RoleFacts,
} from "./aws-managed.js";
import { trustPolicyFor } from "./testing/fake-iam.js";

const ssoTrust = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Federated: "arn:aws:iam::123456789012:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE" },
      Action: ["sts:AssumeRoleWithSAML", "sts:TagSession"],
      Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } },
    },
  ],
});
const eksPolicy = "arn:aws:iam::aws:policy/aws-service-role/AmazonEKSServiceRolePolicy";
const lambdaBasic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

/** For each rule: roles it must protect (and which rule must say so), and near misses it must not. */
const cases: Record<string, { protects: RoleFacts[]; ignores: RoleFacts[] }> = {
  "service-linked-path": {
    protects: [
      { name: "Support", path: "/aws-service-role/support.amazonaws.com/" },
      { name: "x", path: "/AWS-Service-Role/x.amazonaws.com/" },
    ],
    // Console-made service roles (Lambda, Amplify) live under /service-role/ and are the workload's own.
    ignores: [
      { name: "student-lambda-execution-role", path: "/service-role/" },
      { name: "x", path: "/aws-service-roles/" },
    ],
  },
  "aws-reserved-path": {
    protects: [{ name: "Admins", path: "/aws-reserved/sso.amazonaws.com/eu-west-1/" }],
    ignores: [{ name: "Admins", path: "/reserved/" }],
  },
  "service-linked-name": {
    protects: [
      { name: "AWSServiceRoleForAmazonEKS", path: "/" },
      { name: "awsservicerolefortrustedadvisor", path: "/" },
    ],
    ignores: [{ name: "MyAWSServiceRoleForX", path: "/" }],
  },
  "identity-center-name": {
    protects: [{ name: "AWSReservedSSO_AdministratorAccess_0123456789abcdef", path: "/" }],
    ignores: [{ name: "AWSReserved-admins", path: "/" }],
  },
  "organizations-access": {
    protects: [
      { name: "OrganizationAccountAccessRole", path: "/" },
      { name: "organizationaccountaccessrole", path: "/" },
    ],
    ignores: [{ name: "OrganizationAccountAccessRoleCopy", path: "/" }],
  },
  "control-tower": {
    protects: [
      "AWSControlTowerExecution",
      "AWSControlTowerAdmin",
      "AWSControlTowerStackSetRole",
      "AWSControlTowerCloudTrailRole",
      "AWSControlTowerConfigAggregatorRoleForOrganizations",
    ].map((name) => ({ name, path: "/" })),
    ignores: [{ name: "MyAWSControlTowerThing", path: "/" }],
  },
  "control-tower-baseline": {
    protects: [
      "aws-controltower-AdministratorExecutionRole",
      "aws-controltower-ReadOnlyExecutionRole",
      "aws-controltower-AuditAdministratorRole",
      "aws-controltower-AuditReadOnlyRole",
      "aws-controltower-ConfigRecorderRole",
      "aws-controltower-ForwardSnsNotificationRole",
      "aws-controltower-CloudWatchLogsRole",
    ].map((name) => ({ name, path: "/" })),
    ignores: [{ name: "aws-controltowerish", path: "/" }],
  },
  "stacksets-execution": {
    protects: [{ name: "stacksets-exec-0123456789abcdef0123456789abcdef", path: "/" }],
    ignores: [{ name: "my-stacksets-exec-role", path: "/" }],
  },
  "identity-center-trust": {
    protects: [
      { name: "Admins", path: "/", trustPolicy: ssoTrust },
      { name: "Admins", path: "/", trustPolicy: encodeURIComponent(ssoTrust) },
    ],
    ignores: [
      {
        name: "okta-admins",
        path: "/",
        trustPolicy: ssoTrust.replace("AWSSSO_0123456789abcdef_DO_NOT_DELETE", "Okta"),
      },
    ],
  },
  "service-linked-trust": {
    protects: [
      {
        name: "eks",
        path: "/",
        trustPolicy: encodeURIComponent(trustPolicyFor("eks.amazonaws.com")),
        attachedPolicyArns: [eksPolicy],
      },
      {
        name: "eks-cn",
        path: "/",
        trustPolicy: trustPolicyFor("eks.amazonaws.com"),
        attachedPolicyArns: ["arn:aws-cn:iam::aws:policy/aws-service-role/AmazonEKSServiceRolePolicy"],
      },
    ],
    ignores: [
      // The workshop's own execution roles trust one service too: they must stay deletable.
      { name: "student-lambda-execution-role", path: "/", trustPolicy: trustPolicyFor("lambda.amazonaws.com") },
      {
        name: "student-lambda-execution-role",
        path: "/",
        trustPolicy: trustPolicyFor("lambda.amazonaws.com"),
        attachedPolicyArns: [lambdaBasic],
      },
      {
        name: "assumable-by-account",
        path: "/",
        trustPolicy: JSON.stringify({
          Statement: [
            { Effect: "Allow", Principal: { Service: "eks.amazonaws.com", AWS: "arn:aws:iam::123456789012:root" } },
          ],
        }),
        attachedPolicyArns: [eksPolicy],
      },
    ],
  },
};

describe("AWS-managed role rules", () => {
  it("has a test case for every rule, and every rule has an id, a description and a reason", () => {
    expect(Object.keys(cases).sort()).toEqual(awsManagedRoleRules.map((r) => r.id).sort());
    for (const rule of awsManagedRoleRules) {
      expect(rule.matches.length).toBeGreaterThan(10);
      expect(rule.reason.length).toBeGreaterThan(30);
    }
    expect(new Set(awsManagedRoleRules.map((r) => r.id)).size).toBe(awsManagedRoleRules.length);
  });

  describe.each(Object.entries(cases))("%s", (id, { protects, ignores }) => {
    it.each(protects)("protects $name at $path", (role) => {
      expect(awsManagedRoleRule(role)?.id).toBe(id);
      expect(awsManagedRoleReason(role)).toBe(awsManagedRoleRules.find((r) => r.id === id)?.reason);
    });
    it.each(ignores)("leaves $name at $path deletable", (role) => {
      expect(awsManagedRoleReason(role)).toBeUndefined();
    });
  });

  it("does not protect a role whose trust policy is not valid JSON", () => {
    expect(
      awsManagedRoleReason({ name: "r", path: "/", trustPolicy: "%7Bnot json", attachedPolicyArns: [eksPolicy] }),
    ).toBeUndefined();
  });
});

describe("AWS-managed policy rule", () => {
  it.each([
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws-cn:iam::aws:policy/ReadOnlyAccess",
    "arn:aws-us-gov:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy",
  ])("protects %s", (arn) => {
    expect(isAwsManagedPolicyArn(arn)).toBe(true);
    expect(awsManagedPolicyReason(arn)).toMatch(/AWS-managed policy/);
  });

  it.each([
    "arn:aws:iam::123456789012:policy/student-dynamodb-access-policy",
    "arn:aws:iam::123456789012:policy/aws/policy/looks-like-aws",
  ])("leaves the customer policy %s deletable", (arn) => {
    expect(awsManagedPolicyReason(arn)).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------
// Properties: random roles built from every AWS-managed pattern and from
// random names, paths and trust policies. The oracle below restates the rules
// from how each role was generated, not by parsing it.

type TrustKind = "services" | "account" | "services-and-account" | "identity-center" | "other-saml" | "anyone";

interface GeneratedRole {
  name: string;
  path: string;
  trustKind: TrustKind;
  trustPolicy: string;
  attachedPolicyArns: string[];
}

const protectedNamePrefixes = [
  "AWSServiceRoleFor",
  "AWSReservedSSO_",
  "AWSControlTower",
  "aws-controltower-",
  "stacksets-exec-",
];
const protectedPathPrefixes = ["/aws-service-role/", "/aws-reserved/"];
const partitions = ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"];

const nameChars = fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{0,20}$/);
const roleName = fc.oneof(
  fc
    .tuple(fc.constantFrom(...protectedNamePrefixes), nameChars)
    .chain(([prefix, rest]) => fc.mixedCase(fc.constant(prefix)).map((p) => `${p}${rest}`)),
  fc.mixedCase(fc.constant("OrganizationAccountAccessRole")),
  fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,64}$/),
);
const pathSegment = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);
const rolePath = fc.oneof(
  fc.constant("/"),
  fc.constant("/service-role/"),
  fc
    .tuple(fc.constantFrom(...protectedPathPrefixes), fc.array(pathSegment, { maxLength: 2 }))
    .chain(([prefix, segs]) => fc.mixedCase(fc.constant(prefix)).map((p) => p + segs.map((s) => `${s}/`).join(""))),
  fc.array(pathSegment, { minLength: 1, maxLength: 3 }).map((segs) => `/${segs.map((s) => `${s}/`).join("")}`),
);
const servicePrincipal = fc.constantFrom(
  "lambda.amazonaws.com",
  "appsync.amazonaws.com",
  "eks.amazonaws.com",
  "personalize.amazonaws.com",
  "ec2.amazonaws.com.cn",
);
const policyArn = fc.oneof(
  fc
    .tuple(fc.constantFrom(...partitions), pathSegment)
    .map(([p, n]) => `arn:${p}:iam::aws:policy/aws-service-role/${n}`),
  fc.tuple(fc.constantFrom(...partitions), pathSegment).map(([p, n]) => `arn:${p}:iam::aws:policy/service-role/${n}`),
  pathSegment.map((n) => `arn:aws:iam::123456789012:policy/${n}`),
);

function trustDocument(kind: TrustKind, services: string[]): object {
  const principal: Record<TrustKind, unknown> = {
    services: { Service: services.length === 1 ? services[0] : services },
    account: { AWS: "arn:aws:iam::123456789012:root" },
    "services-and-account": { Service: services, AWS: "123456789012" },
    "identity-center": { Federated: "arn:aws:iam::123456789012:saml-provider/AWSSSO_abc_DO_NOT_DELETE" },
    "other-saml": { Federated: "arn:aws:iam::123456789012:saml-provider/Okta" },
    anyone: "*",
  };
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: principal[kind], Action: "sts:AssumeRole" }],
  };
}

const generatedRole: fc.Arbitrary<GeneratedRole> = fc
  .record({
    name: roleName,
    path: rolePath,
    trustKind: fc.constantFrom<TrustKind>(
      "services",
      "account",
      "services-and-account",
      "identity-center",
      "other-saml",
      "anyone",
    ),
    services: fc.uniqueArray(servicePrincipal, { minLength: 1, maxLength: 3 }),
    encoded: fc.boolean(),
    attachedPolicyArns: fc.array(policyArn, { maxLength: 3 }),
  })
  .map(({ name, path, trustKind, services, encoded, attachedPolicyArns }) => {
    const json = JSON.stringify(trustDocument(trustKind, services));
    return { name, path, trustKind, trustPolicy: encoded ? encodeURIComponent(json) : json, attachedPolicyArns };
  });

/** The rules, restated from how the role was generated. */
function shouldBeProtected(role: GeneratedRole): boolean {
  const name = role.name.toLowerCase();
  const path = role.path.toLowerCase();
  return (
    protectedPathPrefixes.some((p) => path.startsWith(p)) ||
    protectedNamePrefixes.some((p) => name.startsWith(p.toLowerCase())) ||
    name === "organizationaccountaccessrole" ||
    role.trustKind === "identity-center" ||
    (role.trustKind === "services" && role.attachedPolicyArns.some((arn) => arn.includes(":policy/aws-service-role/")))
  );
}

describe("properties", () => {
  it("a role is protected exactly when one of the rules matches it", () => {
    fc.assert(
      fc.property(generatedRole, (role) => {
        expect(awsManagedRoleReason(role) !== undefined).toBe(shouldBeProtected(role));
      }),
      { numRuns: 2000 },
    );
  });

  it("a role named or placed like an AWS-managed one is always protected, whatever its trust policy", () => {
    const managedLooking = fc
      .tuple(generatedRole, fc.constantFrom(...protectedNamePrefixes, ...protectedPathPrefixes), nameChars)
      .map(([role, pattern, rest]) =>
        pattern.startsWith("/") ? { ...role, path: `${pattern}${rest}/` } : { ...role, name: `${pattern}${rest}` },
      );
    fc.assert(
      fc.property(managedLooking, (role) => {
        expect(awsManagedRoleReason(role)).toBeDefined();
      }),
      { numRuns: 1000 },
    );
  });

  it("URL-encoding the trust policy never changes the verdict", () => {
    fc.assert(
      fc.property(generatedRole, (role) => {
        const plain = decodeURIComponent(role.trustPolicy);
        expect(awsManagedRoleReason({ ...role, trustPolicy: plain })).toBe(
          awsManagedRoleReason({ ...role, trustPolicy: encodeURIComponent(plain) }),
        );
      }),
    );
  });

  it("every AWS-managed policy ARN is protected, in every partition; no customer policy is", () => {
    const path = fc.array(pathSegment, { maxLength: 3 }).map((segs) => `/${segs.map((s) => `${s}/`).join("")}`);
    fc.assert(
      fc.property(
        fc.constantFrom(...partitions),
        path,
        pathSegment,
        fc.stringMatching(/^\d{12}$/),
        (p, pth, n, acct) => {
          expect(awsManagedPolicyReason(`arn:${p}:iam::aws:policy${pth}${n}`)).toBeDefined();
          expect(awsManagedPolicyReason(`arn:${p}:iam::${acct}:policy${pth}${n}`)).toBeUndefined();
        },
      ),
      { numRuns: 1000 },
    );
  });
});
