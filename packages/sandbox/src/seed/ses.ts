import {
  CreateConfigurationSetCommand,
  CreateEmailIdentityCommand,
  GetConfigurationSetCommand,
  GetEmailIdentityCommand,
  PutEmailIdentityMailFromAttributesCommand,
  SESv2Client,
} from "@aws-sdk/client-sesv2";
import { clientConfig, seeded, type SeedResult, type SeedTarget } from "./types.js";

/**
 * Seeds the workshop's SES footprint: the configuration set
 * `${prefix}-config-set`, the domain identity `${prefix}.example.com` (using
 * that set by default, with the MAIL FROM domain `mail.${prefix}.example.com`)
 * and the address `noreply@${prefix}.example.com`. Decoys: the domain
 * `other-project.example.com` and the set `other-project-config-set`.
 */
export async function seedSes(target: SeedTarget, prefix: string): Promise<SeedResult> {
  const ses = new SESv2Client(clientConfig(target));

  const identity = (name: string) =>
    seeded(`ses.email-identity ${name}`, () => ses.send(new GetEmailIdentityCommand({ EmailIdentity: name })));
  const configurationSet = (name: string) =>
    seeded(`ses.configuration-set ${name}`, () =>
      ses.send(new GetConfigurationSetCommand({ ConfigurationSetName: name })),
    );

  const configSet = `${prefix}-config-set`;
  const domain = `${prefix}.example.com`;
  const address = `noreply@${prefix}.example.com`;
  await ses.send(new CreateConfigurationSetCommand({ ConfigurationSetName: configSet }));
  await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: domain, ConfigurationSetName: configSet }));
  try {
    await ses.send(
      new PutEmailIdentityMailFromAttributesCommand({
        EmailIdentity: domain,
        MailFromDomain: `mail.${domain}`,
        BehaviorOnMxFailure: "USE_DEFAULT_VALUE",
      }),
    );
  } catch (error) {
    // moto 5.2 has no PutEmailIdentityMailFromAttributes (it answers 404); a real account must accept it.
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (!target.endpoint || status !== 404) throw error;
  }
  await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: address }));

  await ses.send(new CreateConfigurationSetCommand({ ConfigurationSetName: "other-project-config-set" }));
  await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: "other-project.example.com" }));

  return {
    selected: [identity(domain), identity(address), configurationSet(configSet)],
    decoys: [identity("other-project.example.com"), configurationSet("other-project-config-set")],
  };
}
