import {
  BadRequestException,
  DeleteEmailTemplateCommand,
  GetEmailTemplateCommand,
  ListEmailTemplatesCommand,
  NotFoundException,
  SESv2Client,
} from "@aws-sdk/client-sesv2";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { emailTemplate } from "./email-template.js";

const ses = mockClient(SESv2Client);
const ctx = () => testContext({ resource: emailTemplate });
const meta = { $metadata: {} };
const template = { id: "student-welcome", name: "student-welcome" };

beforeEach(() => {
  ses.reset();
});

describe("ses.email-template", () => {
  it("lists every page, at most 100 a page as ListEmailTemplates allows, with creation dates", async () => {
    ses.on(ListEmailTemplatesCommand).callsFake((input: { PageSize?: number; NextToken?: string }) => {
      if (input.PageSize !== undefined && input.PageSize > 100)
        throw new BadRequestException({ message: "PageSize", ...meta });
      return input.NextToken
        ? { TemplatesMetadata: [{ TemplateName: "other-project-template" }] }
        : {
            TemplatesMetadata: [
              { TemplateName: "student-welcome", CreatedTimestamp: new Date("2024-01-02T00:00:00Z") },
            ],
            NextToken: "p2",
          };
    });

    const templates = await collect(emailTemplate.discover(ctx(), {}));

    expect(templates).toEqual([
      {
        ...template,
        arn: "arn:aws:ses:us-east-1:123456789012:template/student-welcome",
        createdAt: "2024-01-02T00:00:00.000Z",
      },
      {
        id: "other-project-template",
        name: "other-project-template",
        arn: "arn:aws:ses:us-east-1:123456789012:template/other-project-template",
      },
    ]);
    expect(ses).toHaveReceivedCommandWith(ListEmailTemplatesCommand, { PageSize: 100 });
  });

  it("reads tags with GetEmailTemplate", async () => {
    ses
      .on(GetEmailTemplateCommand)
      .resolves({ TemplateName: template.id, TemplateContent: {}, Tags: [{ Key: "a", Value: "b" }] });

    expect(await emailTemplate.readTags!(ctx(), template)).toEqual({ a: "b" });
  });

  it("deletes, counts a rerun as gone, and verifies", async () => {
    ses
      .on(DeleteEmailTemplateCommand)
      .resolvesOnce({})
      .rejects(new NotFoundException({ message: "Template student-welcome does not exist.", ...meta }));
    ses.on(GetEmailTemplateCommand).rejects(new NotFoundException({ message: "not found", ...meta }));

    await emailTemplate.delete(ctx(), template);
    await expect(emailTemplate.delete(ctx(), template)).rejects.toMatchObject({ kind: "not-found" });
    expect(await emailTemplate.verify(ctx(), template)).toBe("gone");
    expect(ses).toHaveReceivedCommandWith(DeleteEmailTemplateCommand, { TemplateName: template.id });
  });
});
