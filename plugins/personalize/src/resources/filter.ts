import { PersonalizeClient } from "@aws-sdk/client-personalize";
import { defineResource } from "@cleanup-runner/plugin-kit";
import { deletedAsynchronously } from "../async-delete.js";
import { readPersonalizeTags, toFound } from "../found.js";
import { planningFilters } from "../planning-reads.js";

/** A recommendation filter of a dataset group; it must go before the group's datasets. */
export const filter = defineResource({
  type: "personalize.filter",
  description: "Amazon Personalize recommendation filter; deleted asynchronously.",
  scope: "regional",
  deadlineMs: 15 * 60_000,

  async *discover(ctx) {
    // The region's filters, as planning listed them for every dataset group too.
    for (const f of await planningFilters(ctx.client(PersonalizeClient))) {
      if (f.filterArn && f.name) yield toFound(f.filterArn, f.name, f, { datasetGroupArn: f.datasetGroupArn });
    }
  },

  readTags: readPersonalizeTags,

  ...deletedAsynchronously("filter"),
});
