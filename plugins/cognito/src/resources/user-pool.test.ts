import {
  CognitoIdentityProviderClient,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
  DescribeUserPoolCommand,
  InvalidParameterException,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
  UpdateUserPoolCommand,
  UpdateUserPoolRequest$,
  type UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { deletionProtectionOff, updatableSettings, userPool } from "./user-pool.js";

const cognito = mockClient(CognitoIdentityProviderClient);
type Options = Parameters<typeof userPool.delete>[0]["options"];
const ctx = (options: Partial<Options> = {}) => testContext<Options>({ resource: userPool, options });
const meta = { $metadata: {} };
const notFound = () => new ResourceNotFoundException({ message: "User pool does not exist.", ...meta });
const found = { id: "us-east-1_abc", name: "StudentUserPool" };

/** A pool as DescribeUserPool returns it, every setting UpdateUserPool takes filled in. */
function fullPool(overrides: Partial<UserPoolType> = {}): UserPoolType {
  return {
    Id: "us-east-1_abc",
    Name: "StudentUserPool",
    Arn: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc",
    CreationDate: new Date("2024-02-01T10:00:00Z"),
    LastModifiedDate: new Date("2024-02-02T10:00:00Z"),
    Status: "Enabled",
    EstimatedNumberOfUsers: 42,
    SchemaAttributes: [{ Name: "email", AttributeDataType: "String", Required: true, Mutable: true }],
    UsernameAttributes: ["email"],
    Domain: "student-auth",
    CustomDomain: "auth.student.example.com",
    Policies: {
      PasswordPolicy: { MinimumLength: 12, RequireSymbols: false, TemporaryPasswordValidityDays: 3 },
      SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] },
    },
    DeletionProtection: "ACTIVE",
    LambdaConfig: { PreSignUp: "arn:aws:lambda:us-east-1:123456789012:function:student-presignup" },
    AutoVerifiedAttributes: ["email"],
    SmsVerificationMessage: "Your code is {####}",
    EmailVerificationMessage: "Your code is {####}",
    EmailVerificationSubject: "Verify your email",
    VerificationMessageTemplate: {
      EmailMessage: "Your code is {####}",
      EmailSubject: "Verify your email",
      DefaultEmailOption: "CONFIRM_WITH_CODE",
    },
    SmsAuthenticationMessage: "Sign-in code {####}",
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email"] },
    MfaConfiguration: "OPTIONAL",
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
    EmailConfiguration: {
      EmailSendingAccount: "DEVELOPER",
      SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/student.example.com",
      From: "noreply@student.example.com",
    },
    SmsConfiguration: {
      SnsCallerArn: "arn:aws:iam::123456789012:role/cognito-sms",
      ExternalId: "x-1",
      SnsRegion: "us-east-1",
    },
    UserPoolTags: { workshop: "student-system" },
    AdminCreateUserConfig: {
      AllowAdminCreateUserOnly: true,
      UnusedAccountValidityDays: 3,
      InviteMessageTemplate: { EmailSubject: "Welcome", EmailMessage: "User {username} password {####}" },
    },
    UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" },
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: "verified_email", Priority: 1 }] },
    UserPoolTier: "PLUS",
    KeyConfiguration: {
      EncryptionKeyType: "CUSTOMER_MANAGED_KEY",
      KmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
    },
    IssuerConfiguration: { IssuerType: "REGIONAL" },
    ...overrides,
  } as UserPoolType;
}

/** Names of the commands the mock received, in order. */
const sent = () => cognito.calls().map((call) => call.args[0].constructor.name.replace(/Command$/, ""));

beforeEach(() => {
  cognito.reset();
});

describe("discover", () => {
  it("follows every page with MaxResults set, as ListUserPools requires", async () => {
    cognito.on(ListUserPoolsCommand).callsFake((input: { MaxResults?: number; NextToken?: string }) => {
      if (!input.MaxResults || input.MaxResults > 60)
        throw new InvalidParameterException({ message: "MaxResults", ...meta });
      if (!input.NextToken) {
        return {
          UserPools: [{ Id: "us-east-1_a", Name: "StudentUserPool", CreationDate: new Date("2024-01-01T00:00:00Z") }],
          NextToken: "p2",
        };
      }
      return { UserPools: [{ Id: "us-east-1_b", Name: "OtherProjectPool", ReplicaRegions: ["eu-west-1"] }] };
    });

    const pools = await collect(userPool.discover(ctx(), {}));

    expect(pools).toEqual([
      {
        id: "us-east-1_a",
        name: "StudentUserPool",
        arn: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_a",
        createdAt: "2024-01-01T00:00:00.000Z",
      },
      {
        id: "us-east-1_b",
        name: "OtherProjectPool",
        arn: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_b",
        details: { replicaRegions: ["eu-west-1"] },
      },
    ]);
    expect(cognito).toHaveReceivedCommandTimes(ListUserPoolsCommand, 2);
    expect(cognito).toHaveReceivedNthCommandWith(ListUserPoolsCommand, 2, { MaxResults: 60, NextToken: "p2" });
  });
});

describe("readTags and describe", () => {
  it("reads the tags with DescribeUserPool and does not read the pool again for describe", async () => {
    cognito.on(DescribeUserPoolCommand).resolves({ UserPool: fullPool({ DeletionProtection: "INACTIVE" }) });
    cognito.on(ListUserPoolClientsCommand).resolves({ UserPoolClients: [] });
    cognito.on(ListGroupsCommand).resolves({ Groups: [] });
    const pool = { ...found };

    expect(await userPool.readTags!(ctx(), pool)).toEqual({ workshop: "student-system" });
    await userPool.describe!(ctx(), pool);

    expect(cognito).toHaveReceivedCommandTimes(DescribeUserPoolCommand, 1);
  });

  it("shows app clients and groups across pages, users, and both domains", async () => {
    cognito.on(DescribeUserPoolCommand).resolves({ UserPool: fullPool({ DeletionProtection: "INACTIVE" }) });
    cognito
      .on(ListUserPoolClientsCommand)
      .resolvesOnce({ UserPoolClients: [{ ClientId: "c1", ClientName: "web" }], NextToken: "n" })
      .resolvesOnce({ UserPoolClients: [{ ClientId: "c2", ClientName: "admin" }] });
    cognito
      .on(ListGroupsCommand)
      .resolvesOnce({ Groups: [{ GroupName: "students" }], NextToken: "n" })
      .resolvesOnce({ Groups: [{ GroupName: "teachers" }] });

    const described = await userPool.describe!(ctx(), { ...found });

    expect(described.children).toEqual([
      { kind: "app clients", count: 2, note: "web, admin" },
      { kind: "groups", count: 2, note: "students, teachers" },
      { kind: "users", count: 42, note: "estimated" },
      { kind: "domains", count: 2, note: "student-auth, auth.student.example.com" },
    ]);
    expect(described.protectedReason).toBeUndefined();
    expect(described.createdAt).toBe("2024-02-01T10:00:00.000Z");
    expect(described.notes).toEqual(
      expect.arrayContaining([expect.stringContaining("auth.student.example.com"), expect.stringContaining("Lambda")]),
    );
    expect(cognito).toHaveReceivedCommandWith(ListUserPoolClientsCommand, { UserPoolId: found.id, MaxResults: 60 });
    expect(cognito).toHaveReceivedCommandWith(ListGroupsCommand, { UserPoolId: found.id, Limit: 60 });
  });

  it("plans a pool with deletion protection as protected unless the entry opts in", async () => {
    cognito.on(DescribeUserPoolCommand).resolves({ UserPool: fullPool() });
    cognito.on(ListUserPoolClientsCommand).resolves({});
    cognito.on(ListGroupsCommand).resolves({});

    const without = await userPool.describe!(ctx(), { ...found });
    const withOption = await userPool.describe!(ctx({ disableDeletionProtection: true }), { ...found });

    expect(without.protectedReason).toMatch(/deletion protection is ACTIVE.*disableDeletionProtection/);
    expect(withOption.protectedReason).toBeUndefined();
    expect(withOption.notes).toContainEqual(expect.stringContaining("turned off first"));
  });

  it("plans a replicated pool as protected", async () => {
    cognito.on(DescribeUserPoolCommand).resolves({ UserPool: fullPool({ DeletionProtection: "INACTIVE" }) });
    cognito.on(ListUserPoolClientsCommand).resolves({});
    cognito.on(ListGroupsCommand).resolves({});

    const described = await userPool.describe!(ctx(), { ...found, details: { replicaRegions: ["eu-west-1"] } });

    expect(described.protectedReason).toContain("eu-west-1");
  });
});

describe("delete", () => {
  /** DeleteUserPool as AWS answers it: refused while any domain is still configured. */
  function poolWithDomains(pool: UserPoolType) {
    const domains = new Set([pool.Domain, pool.CustomDomain].filter(Boolean));
    cognito.on(DescribeUserPoolCommand).callsFake(() => ({
      UserPool: { ...pool, Domain: undefined, CustomDomain: undefined, ...domainFields([...domains] as string[]) },
    }));
    cognito.on(DeleteUserPoolDomainCommand).callsFake((input: { Domain: string }) => {
      domains.delete(input.Domain);
      return {};
    });
    cognito.on(DeleteUserPoolCommand).callsFake(() => {
      if (domains.size) {
        throw new InvalidParameterException({
          message: `User pool ${pool.Id} has a domain configured that should be deleted first.`,
          ...meta,
        });
      }
      return {};
    });
    function domainFields(left: string[]) {
      return {
        ...(left.includes(pool.Domain ?? "") ? { Domain: pool.Domain } : {}),
        ...(left.includes(pool.CustomDomain ?? "") ? { CustomDomain: pool.CustomDomain } : {}),
      };
    }
  }

  it("deletes the prefix and the custom domain, then the pool", async () => {
    poolWithDomains(fullPool({ DeletionProtection: "INACTIVE" }));

    await userPool.delete(ctx(), { ...found });

    expect(sent()).toEqual(["DescribeUserPool", "DeleteUserPoolDomain", "DeleteUserPoolDomain", "DeleteUserPool"]);
    expect(cognito).toHaveReceivedCommandWith(DeleteUserPoolDomainCommand, {
      UserPoolId: found.id,
      Domain: "student-auth",
    });
    expect(cognito).toHaveReceivedCommandWith(DeleteUserPoolDomainCommand, {
      UserPoolId: found.id,
      Domain: "auth.student.example.com",
    });
    expect(cognito).not.toHaveReceivedCommand(UpdateUserPoolCommand);
  });

  /** A pool as AWS keeps it: DeleteUserPool refused while a domain is configured or protection is ACTIVE. */
  function livePool(pool: UserPoolType) {
    const state: { domains: Set<string>; protection: string } = {
      domains: new Set([pool.Domain, pool.CustomDomain].filter((d): d is string => Boolean(d))),
      protection: pool.DeletionProtection ?? "INACTIVE",
    };
    cognito.on(DescribeUserPoolCommand).callsFake(() => ({
      UserPool: {
        ...pool,
        Domain: [...state.domains].find((d) => !d.includes(".")),
        CustomDomain: [...state.domains].find((d) => d.includes(".")),
        DeletionProtection: state.protection,
      },
    }));
    cognito.on(DeleteUserPoolDomainCommand).callsFake((input: { Domain: string }) => {
      state.domains.delete(input.Domain);
      return {};
    });
    cognito.on(UpdateUserPoolCommand).callsFake((input: { DeletionProtection?: string }) => {
      state.protection = input.DeletionProtection ?? "INACTIVE";
      return {};
    });
    cognito.on(DeleteUserPoolCommand).callsFake(() => {
      if (state.protection === "ACTIVE") {
        throw new InvalidParameterException({
          message: "The user pool cannot be deleted because deletion protection is activated.",
          ...meta,
        });
      }
      if (state.domains.size) {
        throw new InvalidParameterException({
          message: `User pool ${pool.Id} has a domain configured that should be deleted first.`,
          ...meta,
        });
      }
      return {};
    });
    return state;
  }

  /** The pool as describe records it in the plan (it has no app clients nor groups). */
  async function planned(options: Partial<Options> = {}) {
    cognito.on(ListUserPoolClientsCommand).resolves({});
    cognito.on(ListGroupsCommand).resolves({});
    const described = await userPool.describe!(ctx(options), { ...found });
    cognito.resetHistory();
    return described;
  }

  it("deletes a pool the plan saw without domains without reading it again", async () => {
    livePool(fullPool({ DeletionProtection: "INACTIVE", Domain: undefined, CustomDomain: undefined }));
    const plan = await planned();
    expect(plan.details).toEqual({ domains: [], deletionProtection: "INACTIVE" });

    await userPool.delete(ctx(), plan);

    expect(sent()).toEqual(["DeleteUserPool"]);
  });

  it("reads a pool the plan saw with domains before deleting them, so a pool protected since is left untouched", async () => {
    const pool = livePool(fullPool({ DeletionProtection: "INACTIVE" }));
    const plan = await planned();
    expect(plan.details).toEqual({
      domains: ["student-auth", "auth.student.example.com"],
      deletionProtection: "INACTIVE",
    });
    pool.protection = "ACTIVE";

    await expect(userPool.delete(ctx(), plan)).rejects.toMatchObject({ kind: "protected" });
    expect(sent()).toEqual(["DescribeUserPool"]);
  });

  it("reads the pool fresh and retries once when DeleteUserPool refuses for a domain added after the plan", async () => {
    const pool = livePool(fullPool({ DeletionProtection: "INACTIVE", Domain: undefined, CustomDomain: undefined }));
    const plan = await planned();
    pool.domains.add("student-auth");

    await userPool.delete(ctx(), plan);

    expect(sent()).toEqual(["DeleteUserPool", "DescribeUserPool", "DeleteUserPoolDomain", "DeleteUserPool"]);
  });

  it("never lifts protection turned on after the plan without the option, and reads nothing for it", async () => {
    const pool = livePool(fullPool({ DeletionProtection: "INACTIVE", Domain: undefined, CustomDomain: undefined }));
    const plan = await planned();
    pool.protection = "ACTIVE";

    await expect(userPool.delete(ctx(), plan)).rejects.toMatchObject({ kind: "protected" });
    expect(sent()).toEqual(["DeleteUserPool"]);
  });

  it("with the option, lifts protection turned on after the plan, from a fresh read of the pool", async () => {
    const pool = livePool(fullPool({ DeletionProtection: "INACTIVE", Domain: undefined, CustomDomain: undefined }));
    const plan = await planned({ disableDeletionProtection: true });
    pool.protection = "ACTIVE";

    await userPool.delete(ctx({ disableDeletionProtection: true }), plan);

    expect(sent()).toEqual(["DeleteUserPool", "DescribeUserPool", "UpdateUserPool", "DeleteUserPool"]);
  });

  it("with the option and protection ACTIVE in the plan, reads the pool to send its settings back", async () => {
    livePool(fullPool({ Domain: undefined, CustomDomain: undefined }));
    const plan = await planned({ disableDeletionProtection: true });

    await userPool.delete(ctx({ disableDeletionProtection: true }), plan);

    expect(sent()).toEqual(["DescribeUserPool", "UpdateUserPool", "DeleteUserPool"]);
    expect(cognito).toHaveReceivedCommandWith(UpdateUserPoolCommand, {
      UserPoolId: found.id,
      DeletionProtection: "INACTIVE",
      MfaConfiguration: "OPTIONAL",
    });
  });

  it("reads the pool fresh for a plan whose record of it is malformed", async () => {
    livePool(fullPool({ DeletionProtection: "INACTIVE" }));

    await userPool.delete(ctx(), { ...found, details: { domains: "student-auth", deletionProtection: "INACTIVE" } });

    expect(sent()).toEqual(["DescribeUserPool", "DeleteUserPoolDomain", "DeleteUserPoolDomain", "DeleteUserPool"]);
  });

  it("reports a domain that is still going as a pending dependency", async () => {
    cognito.on(DescribeUserPoolCommand).resolves({ UserPool: fullPool({ DeletionProtection: "INACTIVE" }) });
    cognito.on(DeleteUserPoolDomainCommand).resolves({});
    cognito.on(DeleteUserPoolCommand).rejects(
      new InvalidParameterException({
        message: "User pool has a domain configured that should be deleted first.",
        ...meta,
      }),
    );

    await expect(userPool.delete(ctx(), { ...found })).rejects.toMatchObject({ kind: "dependency-pending" });
  });

  it("refuses a protected pool without the option, touching nothing", async () => {
    cognito.on(DescribeUserPoolCommand).resolves({ UserPool: fullPool() });

    await expect(userPool.delete(ctx(), { ...found })).rejects.toMatchObject({ kind: "protected" });
    expect(sent()).toEqual(["DescribeUserPool"]);
  });

  it("with the option, turns protection off sending every setting back unchanged, then deletes", async () => {
    const pool = fullPool();
    poolWithDomains(pool);
    cognito.on(UpdateUserPoolCommand).resolves({});

    await userPool.delete(ctx({ disableDeletionProtection: true }), { ...found });

    expect(sent()).toEqual([
      "DescribeUserPool",
      "UpdateUserPool",
      "DeleteUserPoolDomain",
      "DeleteUserPoolDomain",
      "DeleteUserPool",
    ]);
    const input = cognito.commandCalls(UpdateUserPoolCommand)[0]!.args[0].input;
    const { UnusedAccountValidityDays: _deprecated, ...adminCreateUserConfig } = pool.AdminCreateUserConfig!;
    expect(input).toEqual({
      UserPoolId: pool.Id,
      PoolName: pool.Name,
      ...Object.fromEntries(updatableSettings.map((setting) => [setting, pool[setting]])),
      AdminCreateUserConfig: adminCreateUserConfig,
      DeletionProtection: "INACTIVE",
    });
  });

  it("sends every member of the installed SDK's UpdateUserPoolRequest", () => {
    const members = (UpdateUserPoolRequest$ as unknown as [number, string, string, number, string[]])[4];
    const input = deletionProtectionOff(fullPool());

    expect(Object.keys(input).sort()).toEqual([...members].sort());
  });

  it("keeps UnusedAccountValidityDays when the pool has no TemporaryPasswordValidityDays", () => {
    const pool = fullPool({ Policies: { PasswordPolicy: { MinimumLength: 8 } } });

    expect(deletionProtectionOff(pool).AdminCreateUserConfig).toEqual(pool.AdminCreateUserConfig);
  });

  it("treats protection still reported right after turning it off as pending", async () => {
    cognito
      .on(DescribeUserPoolCommand)
      .resolves({ UserPool: fullPool({ Domain: undefined, CustomDomain: undefined }) });
    cognito.on(UpdateUserPoolCommand).resolves({});
    cognito.on(DeleteUserPoolCommand).rejects(
      new InvalidParameterException({
        message: "The user pool cannot be deleted because deletion protection is activated.",
        ...meta,
      }),
    );

    await expect(userPool.delete(ctx({ disableDeletionProtection: true }), { ...found })).rejects.toMatchObject({
      kind: "dependency-pending",
    });
  });

  it("counts a pool that is already gone as deleted, calling nothing else", async () => {
    cognito.on(DescribeUserPoolCommand).rejects(notFound());

    await expect(userPool.delete(ctx(), { ...found })).rejects.toMatchObject({ kind: "not-found" });
    expect(sent()).toEqual(["DescribeUserPool"]);
  });

  it("goes on when a domain is already gone (a rerun after a partial attempt)", async () => {
    cognito
      .on(DescribeUserPoolCommand)
      .resolves({ UserPool: fullPool({ DeletionProtection: "INACTIVE", CustomDomain: undefined }) });
    cognito
      .on(DeleteUserPoolDomainCommand)
      .rejects(new ResourceNotFoundException({ message: "No such domain", ...meta }));
    cognito.on(DeleteUserPoolCommand).resolves({});

    await userPool.delete(ctx(), { ...found });

    expect(cognito).toHaveReceivedCommandTimes(DeleteUserPoolCommand, 1);
  });

  it("classifies throttling", async () => {
    cognito
      .on(DescribeUserPoolCommand)
      .resolves({ UserPool: fullPool({ DeletionProtection: "INACTIVE", Domain: undefined, CustomDomain: undefined }) });
    cognito.on(DeleteUserPoolCommand).rejects(new TooManyRequestsException({ message: "Rate exceeded", ...meta }));

    await expect(userPool.delete(ctx(), { ...found })).rejects.toMatchObject({ kind: "throttled" });
  });
});

describe("verify", () => {
  it("is present while DescribeUserPool finds the pool, gone after", async () => {
    cognito.on(DescribeUserPoolCommand).resolvesOnce({ UserPool: fullPool() }).rejects(notFound());

    expect(await userPool.verify(ctx(), { ...found })).toBe("present");
    expect(await userPool.verify(ctx(), { ...found })).toBe("gone");
  });
});
