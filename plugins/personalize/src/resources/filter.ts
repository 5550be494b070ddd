import { PersonalizeClient, paginateListFilters } from "@aws-sdk/client-personalize";
import { defineResource } from "@cleanup-runner/plugin-kit";
import { deletedAsynchronously } from "../async-delete.js";
import { readPersonalizeTags, toFound } from "../found.js";

/** A recommendation filter of a dataset group; it must go before the group's datasets. */
export const filter = defineResource({
  type: "personalize.filter",
  description: "Amazon Personalize recommendation filter; deleted asynchronously.",
  scope: "regional",
  pollIntervalMs: 10_000,
  deadlineMs: 15 * 60_000,

  async *discover(ctx) {
    const client = ctx.client(PersonalizeClient);
    for await (const page of paginateListFilters({ client }, {})) {
      // The List response spells this one with a capital F.
      for (const f of page.Filters ?? []) {
        if (f.filterArn && f.name) yield toFound(f.filterArn, f.name, f, { datasetGroupArn: f.datasetGroupArn });
      }
    }
  },

  readTags: readPersonalizeTags,

  ...deletedAsynchronously("filter"),
});
