import { PersonalizeClient } from "@aws-sdk/client-personalize";
import { defineResource } from "@cleanup-runner/plugin-kit";
import { deletedAsynchronously } from "../async-delete.js";
import { readPersonalizeTags, toFound } from "../found.js";
import { planningRecommenders } from "../planning-reads.js";

/**
 * A recommender of a Domain dataset group, billed every hour it is ACTIVE.
 * A stopped (INACTIVE) one deletes like an active one; one that is stopping
 * or starting is waited for.
 */
export const recommender = defineResource({
  type: "personalize.recommender",
  description:
    "Amazon Personalize recommender (Domain dataset groups, billed every hour it runs); deleted asynchronously.",
  scope: "regional",
  deadlineMs: 30 * 60_000,

  async *discover(ctx) {
    // The region's recommenders, as planning listed them for every dataset group too.
    for (const r of await planningRecommenders(ctx.client(PersonalizeClient))) {
      if (r.recommenderArn && r.name) {
        yield toFound(r.recommenderArn, r.name, r, { datasetGroupArn: r.datasetGroupArn });
      }
    }
  },

  readTags: readPersonalizeTags,

  ...deletedAsynchronously("recommender"),
});
