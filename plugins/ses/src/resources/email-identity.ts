import {
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  SESv2Client,
  paginateListEmailIdentities,
  type GetEmailIdentityCommandOutput,
} from "@aws-sdk/client-sesv2";
import {
  classifiedCall,
  classifiedPages,
  defineResource,
  readOrUndefined,
  tagRecord,
  type Child,
  type Found,
  type ResourceContext,
} from "@cleanup-runner/plugin-kit";
import { sesArn } from "../arns.js";

type Identity = GetEmailIdentityCommandOutput;

async function getIdentity(ctx: ResourceContext, name: string): Promise<Identity | undefined> {
  return readOrUndefined(() => ctx.client(SESv2Client).send(new GetEmailIdentityCommand({ EmailIdentity: name })));
}

/** GetEmailIdentity answers read by readTags, kept for describe so a tag-selected identity is read once. */
const readForTags = new WeakMap<Found, Identity>();

/** What goes with an identity: its MAIL FROM domain, DKIM signing and sending authorization policies. */
function childrenOf(identity: Identity): Child[] {
  const children: Child[] = [];
  const mailFrom = identity.MailFromAttributes;
  if (mailFrom?.MailFromDomain) {
    children.push({
      kind: "custom MAIL FROM domain",
      count: 1,
      note: `${mailFrom.MailFromDomain} (${mailFrom.MailFromDomainStatus ?? "status unknown"})`,
    });
  }
  const dkim = identity.DkimAttributes;
  if (dkim && (dkim.SigningEnabled || dkim.Tokens?.length)) {
    // EXTERNAL is Bring Your Own DKIM; AWS_SES (and its regional variants) is Easy DKIM.
    const origin = dkim.SigningAttributesOrigin === "EXTERNAL" ? "BYODKIM" : "Easy DKIM";
    children.push({
      kind: "DKIM signing",
      count: 1,
      note: `${origin}, ${dkim.Status ?? "status unknown"}, ${dkim.Tokens?.length ?? 0} CNAME token(s)`,
    });
  }
  const policies = Object.keys(identity.Policies ?? {});
  if (policies.length)
    children.push({ kind: "sending authorization policies", count: policies.length, note: policies.join(", ") });
  return children;
}

/** An SES email identity: an email address or a domain. */
export const emailIdentity = defineResource({
  type: "ses.email-identity",
  description:
    "SES email identities (addresses and domains), with their custom MAIL FROM domain, DKIM settings and policies.",
  scope: "regional",
  deletesWith: ["custom MAIL FROM domain", "DKIM settings", "sending authorization policies"],

  async *discover(ctx) {
    // PageSize stays at the service default: moto 5.2, the test emulator, fails on it.
    const listing = paginateListEmailIdentities({ client: ctx.client(SESv2Client) }, {});
    for await (const page of classifiedPages("ListEmailIdentities", listing)) {
      for (const identity of page.EmailIdentities ?? []) {
        if (!identity.IdentityName) continue;
        yield {
          id: identity.IdentityName,
          name: identity.IdentityName,
          arn: sesArn(ctx, `identity/${identity.IdentityName}`),
          details: { identityType: identity.IdentityType },
        };
      }
    }
  },

  protectedReason(found) {
    return found.details?.identityType === "MANAGED_DOMAIN" ? "a domain SES manages (MANAGED_DOMAIN)" : undefined;
  },

  async readTags(ctx, found) {
    const identity = await getIdentity(ctx, found.id);
    if (identity) readForTags.set(found, identity);
    return tagRecord(identity?.Tags);
  },

  async describe(ctx, found) {
    const identity = readForTags.get(found) ?? (await getIdentity(ctx, found.id));
    if (!identity) return found;
    const notes: string[] = [];
    if (identity.IdentityType === "DOMAIN") {
      notes.push(
        "the DNS records made for it (verification and DKIM CNAMEs, MAIL FROM MX and SPF TXT) stay in the DNS zone",
      );
    }
    if (identity.ConfigurationSetName) {
      notes.push(`its default configuration set ${identity.ConfigurationSetName} is not deleted with it`);
    }
    return {
      ...found,
      tags: found.tags ?? tagRecord(identity.Tags),
      children: childrenOf(identity),
      ...(notes.length ? { notes } : {}),
    };
  },

  async delete(ctx, found) {
    // Takes the identity's MAIL FROM, DKIM and policy settings with it.
    await classifiedCall(`DeleteEmailIdentity ${found.id}`, () =>
      ctx.client(SESv2Client).send(new DeleteEmailIdentityCommand({ EmailIdentity: found.id })),
    );
  },

  async verify(ctx, found) {
    return (await getIdentity(ctx, found.id)) ? "present" : "gone";
  },
});
