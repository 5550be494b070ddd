import { PersonalizeClient } from "@aws-sdk/client-personalize";
import { defineResource } from "@cleanup-runner/plugin-kit";
import { deletedAsynchronously } from "../async-delete.js";
import { listDatasetGroups, qualifiedName } from "../dataset-groups.js";
import { readPersonalizeTags, toFound } from "../found.js";
import { planningEventTrackersOf } from "../planning-reads.js";

/**
 * An event tracker of a dataset group; AWS refuses to delete the group's
 * interactions dataset while it exists. Named `<dataset group>/<tracker>`
 * (its ARN carries an id, not its name). The events it recorded stay in the
 * dataset.
 */
export const eventTracker = defineResource({
  type: "personalize.event-tracker",
  description:
    "Amazon Personalize event tracker, named <dataset group>/<event tracker>; deleted asynchronously (recorded events stay in the dataset).",
  scope: "regional",
  deadlineMs: 15 * 60_000,

  async *discover(ctx, hints) {
    const client = ctx.client(PersonalizeClient);
    // Listed group by group (the summaries do not say which group a tracker belongs to), once per run
    // for this discover and the groups' describes.
    for await (const group of listDatasetGroups(client, hints)) {
      for (const t of await planningEventTrackersOf(client, group.arn)) {
        if (t.eventTrackerArn && t.name) {
          yield toFound(t.eventTrackerArn, qualifiedName(group.name, t.name), t, { datasetGroupArn: group.arn });
        }
      }
    }
  },

  readTags: readPersonalizeTags,

  ...deletedAsynchronously("event tracker"),
});
