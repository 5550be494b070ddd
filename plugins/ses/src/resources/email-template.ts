import {
  DeleteEmailTemplateCommand,
  GetEmailTemplateCommand,
  SESv2Client,
  paginateListEmailTemplates,
} from "@aws-sdk/client-sesv2";
import {
  classifiedCall,
  classifiedPages,
  defineResource,
  readOrUndefined,
  tagRecord,
  type ResourceContext,
} from "@cleanup-runner/plugin-kit";
import { sesArn } from "../arns.js";

async function getTemplate(ctx: ResourceContext, name: string) {
  return readOrUndefined(() => ctx.client(SESv2Client).send(new GetEmailTemplateCommand({ TemplateName: name })));
}

/** An SES email template. */
export const emailTemplate = defineResource({
  type: "ses.email-template",
  description: "SES email templates.",
  scope: "regional",

  async *discover(ctx) {
    // PageSize: at most 100 for ListEmailTemplates.
    const listing = paginateListEmailTemplates({ client: ctx.client(SESv2Client), pageSize: 100 }, {});
    for await (const page of classifiedPages("ListEmailTemplates", listing)) {
      for (const template of page.TemplatesMetadata ?? []) {
        if (!template.TemplateName) continue;
        yield {
          id: template.TemplateName,
          name: template.TemplateName,
          arn: sesArn(ctx, `template/${template.TemplateName}`),
          ...(template.CreatedTimestamp ? { createdAt: template.CreatedTimestamp.toISOString() } : {}),
        };
      }
    }
  },

  async readTags(ctx, found) {
    return tagRecord((await getTemplate(ctx, found.id))?.Tags);
  },

  async delete(ctx, found) {
    await classifiedCall(`DeleteEmailTemplate ${found.id}`, () =>
      ctx.client(SESv2Client).send(new DeleteEmailTemplateCommand({ TemplateName: found.id })),
    );
  },

  async verify(ctx, found) {
    return (await getTemplate(ctx, found.id)) ? "present" : "gone";
  },
});
