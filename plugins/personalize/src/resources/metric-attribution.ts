import { PersonalizeClient, paginateListMetricAttributions } from "@aws-sdk/client-personalize";
import { defineResource } from "@cleanup-runner/plugin-kit";
import { deletedAsynchronously } from "../async-delete.js";
import { toFound } from "../found.js";

/**
 * A metric attribution of a dataset group (reports on imported events). Its
 * reports already written to CloudWatch or S3 stay there.
 */
export const metricAttribution = defineResource({
  type: "personalize.metric-attribution",
  description: "Amazon Personalize metric attribution; deleted asynchronously (reports already published stay).",
  scope: "regional",
  deadlineMs: 15 * 60_000,

  async *discover(ctx) {
    const client = ctx.client(PersonalizeClient);
    for await (const page of paginateListMetricAttributions({ client }, {})) {
      for (const m of page.metricAttributions ?? []) {
        // Personalize cannot tag metric attributions: a tag selector matches none, without a call each.
        if (m.metricAttributionArn && m.name) yield { ...toFound(m.metricAttributionArn, m.name, m), tags: {} };
      }
    }
  },

  ...deletedAsynchronously("metric attribution"),
});
