import {
  BadRequestException,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  ListEmailIdentitiesCommand,
  NotFoundException,
  SESv2Client,
  TooManyRequestsException,
} from "@aws-sdk/client-sesv2";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { emailIdentity } from "./email-identity.js";

const ses = mockClient(SESv2Client);
const ctx = () => testContext({ resource: emailIdentity });
const meta = { $metadata: {} };
const domain = { id: "student.example.com", name: "student.example.com" };
const domainIdentity = {
  IdentityType: "DOMAIN" as const,
  VerificationStatus: "SUCCESS" as const,
  Tags: [{ Key: "workshop", Value: "student-system" }],
  MailFromAttributes: {
    MailFromDomain: "mail.student.example.com",
    MailFromDomainStatus: "SUCCESS" as const,
    BehaviorOnMxFailure: "USE_DEFAULT_VALUE" as const,
  },
  DkimAttributes: {
    SigningEnabled: true,
    Status: "SUCCESS" as const,
    Tokens: ["a", "b", "c"],
    SigningAttributesOrigin: "AWS_SES" as const,
  },
  Policies: { "allow-cognito": "{}" },
  ConfigurationSetName: "student-config-set",
};

beforeEach(() => {
  ses.reset();
});

describe("ses.email-identity", () => {
  it("lists addresses and domains across pages", async () => {
    ses.on(ListEmailIdentitiesCommand).callsFake((input: { PageSize?: number; NextToken?: string }) => {
      if (input.PageSize !== undefined && input.PageSize > 1000)
        throw new BadRequestException({ message: "PageSize", ...meta });
      return input.NextToken
        ? { EmailIdentities: [{ IdentityName: "other-project.example.com", IdentityType: "DOMAIN" }] }
        : {
            EmailIdentities: [
              { IdentityName: "noreply@student.example.com", IdentityType: "EMAIL_ADDRESS" },
              { IdentityName: "student.example.com", IdentityType: "DOMAIN" },
            ],
            NextToken: "p2",
          };
    });

    const identities = await collect(emailIdentity.discover(ctx(), {}));

    expect(identities.map((i) => i.name)).toEqual([
      "noreply@student.example.com",
      "student.example.com",
      "other-project.example.com",
    ]);
    expect(identities[1]).toEqual({
      ...domain,
      arn: "arn:aws:ses:us-east-1:123456789012:identity/student.example.com",
      details: { identityType: "DOMAIN" },
    });
    expect(ses).toHaveReceivedNthCommandWith(ListEmailIdentitiesCommand, 2, { NextToken: "p2" });
  });

  it("never plans an SES-managed domain", () => {
    expect(emailIdentity.protectedReason!({ ...domain, details: { identityType: "MANAGED_DOMAIN" } })).toMatch(
      /SES manages/,
    );
    expect(emailIdentity.protectedReason!({ ...domain, details: { identityType: "DOMAIN" } })).toBeUndefined();
  });

  it("shows the MAIL FROM domain, DKIM and policies that go with it, from one GetEmailIdentity", async () => {
    ses.on(GetEmailIdentityCommand, { EmailIdentity: domain.id }).resolves(domainIdentity);
    const candidate = { ...domain };

    expect(await emailIdentity.readTags!(ctx(), candidate)).toEqual({ workshop: "student-system" });
    const planned = await emailIdentity.describe!(ctx(), candidate);

    expect(ses).toHaveReceivedCommandTimes(GetEmailIdentityCommand, 1);
    expect(planned.children).toEqual([
      { kind: "custom MAIL FROM domain", count: 1, note: "mail.student.example.com (SUCCESS)" },
      { kind: "DKIM signing", count: 1, note: "Easy DKIM, SUCCESS, 3 CNAME token(s)" },
      { kind: "sending authorization policies", count: 1, note: "allow-cognito" },
    ]);
    expect(planned.notes).toEqual([expect.stringContaining("DNS"), expect.stringContaining("student-config-set")]);
  });

  it("shows nothing extra for a plain address", async () => {
    ses.on(GetEmailIdentityCommand).resolves({
      IdentityType: "EMAIL_ADDRESS",
      DkimAttributes: { SigningEnabled: false, Status: "NOT_STARTED" },
    });

    const planned = await emailIdentity.describe!(ctx(), {
      id: "noreply@student.example.com",
      name: "noreply@student.example.com",
    });

    expect(planned.children).toEqual([]);
    expect(planned.notes).toBeUndefined();
  });

  it("deletes with DeleteEmailIdentity, and a rerun counts as already gone", async () => {
    ses
      .on(DeleteEmailIdentityCommand)
      .resolvesOnce({})
      .rejects(new NotFoundException({ message: "Email identity student.example.com does not exist.", ...meta }));

    await emailIdentity.delete(ctx(), domain);
    await expect(emailIdentity.delete(ctx(), domain)).rejects.toMatchObject({ kind: "not-found" });
    expect(ses).toHaveReceivedCommandWith(DeleteEmailIdentityCommand, { EmailIdentity: domain.id });
  });

  it("classifies throttling", async () => {
    ses.on(DeleteEmailIdentityCommand).rejects(new TooManyRequestsException({ message: "Too many requests", ...meta }));

    await expect(emailIdentity.delete(ctx(), domain)).rejects.toMatchObject({ kind: "throttled" });
  });

  it("verifies with a fresh GetEmailIdentity", async () => {
    ses
      .on(GetEmailIdentityCommand)
      .resolvesOnce(domainIdentity)
      .rejects(new NotFoundException({ message: "not found", ...meta }));

    expect(await emailIdentity.verify(ctx(), domain)).toBe("present");
    expect(await emailIdentity.verify(ctx(), domain)).toBe("gone");
  });
});
