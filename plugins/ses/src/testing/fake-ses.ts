import {
  DeleteConfigurationSetCommand,
  DeleteContactListCommand,
  DeleteDedicatedIpPoolCommand,
  DeleteEmailIdentityCommand,
  DeleteEmailTemplateCommand,
  GetConfigurationSetCommand,
  GetConfigurationSetEventDestinationsCommand,
  GetContactListCommand,
  GetDedicatedIpPoolCommand,
  GetDedicatedIpsCommand,
  GetEmailIdentityCommand,
  GetEmailTemplateCommand,
  ListConfigurationSetsCommand,
  ListContactListsCommand,
  ListDedicatedIpPoolsCommand,
  ListEmailIdentitiesCommand,
  ListEmailTemplatesCommand,
  ListTagsForResourceCommand,
  NotFoundException,
  SESv2Client,
} from "@aws-sdk/client-sesv2";
import type { ContractFixture, ContractResource } from "@cleanup-runner/plugin-kit/contract";
import { mockClient } from "aws-sdk-client-mock";

type Kind = "identity" | "configuration-set" | "template" | "contact-list" | "dedicated-ip-pool";

const arn = (kind: Kind, name: string) => `arn:aws:ses:us-east-1:123456789012:${kind}/${name}`;
const tagList = (r: ContractResource) => Object.entries(r.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));

/**
 * An in-memory SES v2 account holding one kind of resource, by the API
 * reference: lists page by NextToken (pages here are small, to exercise
 * paging); Get and Delete of an unknown name are NotFoundException; tags come
 * with the Get calls, and by ARN from ListTagsForResource.
 */
export function fakeSesAccount(kind: Kind, pageSize = 10): ContractFixture {
  const mock = mockClient(SESv2Client);
  let held = new Map<string, ContractResource>();
  const get = (name: string) => {
    const r = held.get(name);
    if (!r) throw new NotFoundException({ message: `${name} does not exist`, $metadata: {} });
    return r;
  };
  const remove = (name: string) => {
    get(name);
    held.delete(name);
    return {};
  };
  const page = (token: string | undefined) => {
    const names = [...held.keys()];
    const start = token ? Number(token) : 0;
    const end = start + pageSize;
    return { names: names.slice(start, end), NextToken: end < names.length ? String(end) : undefined };
  };
  return {
    seed(resources) {
      mock.reset();
      held = new Map(resources.map((r) => [r.name, r]));
      if (kind === "identity") {
        mock.on(ListEmailIdentitiesCommand).callsFake((input: { NextToken?: string }) => {
          const { names, NextToken } = page(input.NextToken);
          return { EmailIdentities: names.map((n) => ({ IdentityName: n, IdentityType: "DOMAIN" })), NextToken };
        });
        mock.on(GetEmailIdentityCommand).callsFake((input: { EmailIdentity: string }) => ({
          IdentityType: "DOMAIN",
          Tags: tagList(get(input.EmailIdentity)),
          DkimAttributes: { SigningEnabled: true, Status: "SUCCESS", Tokens: ["a", "b", "c"] },
        }));
        mock
          .on(DeleteEmailIdentityCommand)
          .callsFake((input: { EmailIdentity: string }) => remove(input.EmailIdentity));
      }
      if (kind === "configuration-set") {
        mock.on(ListConfigurationSetsCommand).callsFake((input: { NextToken?: string }) => {
          const { names, NextToken } = page(input.NextToken);
          return { ConfigurationSets: names, NextToken };
        });
        mock.on(GetConfigurationSetCommand).callsFake((input: { ConfigurationSetName: string }) => ({
          ConfigurationSetName: input.ConfigurationSetName,
          Tags: tagList(get(input.ConfigurationSetName)),
        }));
        mock.on(GetConfigurationSetEventDestinationsCommand).callsFake((input: { ConfigurationSetName: string }) => {
          get(input.ConfigurationSetName);
          return {
            EventDestinations: [
              { Name: "metrics", MatchingEventTypes: ["SEND"], CloudWatchDestination: { DimensionConfigurations: [] } },
            ],
          };
        });
        mock
          .on(DeleteConfigurationSetCommand)
          .callsFake((input: { ConfigurationSetName: string }) => remove(input.ConfigurationSetName));
      }
      if (kind === "template") {
        mock.on(ListEmailTemplatesCommand).callsFake((input: { NextToken?: string; PageSize?: number }) => {
          if (input.PageSize !== undefined && input.PageSize > 100) throw new Error("PageSize must be at most 100");
          const { names, NextToken } = page(input.NextToken);
          return { TemplatesMetadata: names.map((n) => ({ TemplateName: n })), NextToken };
        });
        mock.on(GetEmailTemplateCommand).callsFake((input: { TemplateName: string }) => ({
          TemplateName: input.TemplateName,
          TemplateContent: { Subject: "s" },
          Tags: tagList(get(input.TemplateName)),
        }));
        mock.on(DeleteEmailTemplateCommand).callsFake((input: { TemplateName: string }) => remove(input.TemplateName));
      }
      if (kind === "contact-list") {
        mock.on(ListContactListsCommand).callsFake((input: { NextToken?: string }) => {
          const { names, NextToken } = page(input.NextToken);
          return { ContactLists: names.map((n) => ({ ContactListName: n })), NextToken };
        });
        mock.on(GetContactListCommand).callsFake((input: { ContactListName: string }) => ({
          ContactListName: input.ContactListName,
          Topics: [],
          Tags: tagList(get(input.ContactListName)),
        }));
        mock
          .on(DeleteContactListCommand)
          .callsFake((input: { ContactListName: string }) => remove(input.ContactListName));
      }
      if (kind === "dedicated-ip-pool") {
        mock.on(ListDedicatedIpPoolsCommand).callsFake((input: { NextToken?: string }) => {
          const { names, NextToken } = page(input.NextToken);
          return { DedicatedIpPools: names, NextToken };
        });
        mock.on(GetDedicatedIpPoolCommand).callsFake((input: { PoolName: string }) => {
          get(input.PoolName);
          return { DedicatedIpPool: { PoolName: input.PoolName, ScalingMode: "MANAGED" } };
        });
        mock.on(GetDedicatedIpsCommand).callsFake((input: { PoolName: string }) => {
          get(input.PoolName);
          return { DedicatedIps: [] };
        });
        mock.on(ListTagsForResourceCommand).callsFake((input: { ResourceArn: string }) => {
          const r = [...held.values()].find((p) => arn("dedicated-ip-pool", p.name) === input.ResourceArn);
          if (!r) throw new NotFoundException({ message: "not found", $metadata: {} });
          return { Tags: tagList(r) };
        });
        mock.on(DeleteDedicatedIpPoolCommand).callsFake((input: { PoolName: string }) => remove(input.PoolName));
      }
    },
    present: () => [...held.keys()],
  };
}
