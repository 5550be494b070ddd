import { PersonalizeClient, paginateListCampaigns } from "@aws-sdk/client-personalize";
import { defineResource } from "@cleanup-runner/plugin-kit";
import { deletedAsynchronously } from "../async-delete.js";
import { readPersonalizeTags, toFound } from "../found.js";

/**
 * A campaign: a deployed solution version, billed for its provisioned
 * throughput every hour it exists. The first thing to go: nothing else
 * depends on it going, and a solution cannot go while a campaign uses it.
 */
export const campaign = defineResource({
  type: "personalize.campaign",
  description:
    "Amazon Personalize campaign (a deployed solution version, billed every hour it exists); deleted asynchronously.",
  scope: "regional",
  deadlineMs: 30 * 60_000,

  async *discover(ctx) {
    const client = ctx.client(PersonalizeClient);
    // Without a solutionArn, ListCampaigns lists every campaign of the account in the region.
    for await (const page of paginateListCampaigns({ client }, {})) {
      for (const c of page.campaigns ?? []) {
        if (c.campaignArn && c.name) yield toFound(c.campaignArn, c.name, c);
      }
    }
  },

  readTags: readPersonalizeTags,

  ...deletedAsynchronously("campaign"),
});
