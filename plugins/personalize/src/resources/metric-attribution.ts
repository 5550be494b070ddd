import {
  DeleteMetricAttributionCommand,
  PersonalizeClient,
  paginateListMetricAttributions,
} from "@aws-sdk/client-personalize";
import { defineResource } from "@cleanup-runner/plugin-kit";
import { startAsyncDelete, verifiedByStatus } from "../async-delete.js";
import { toFound, withStatusNote } from "../found.js";

/**
 * A metric attribution of a dataset group (reports on imported events). Its
 * reports already written to CloudWatch or S3 stay there.
 */
export const metricAttribution = defineResource({
  type: "personalize.metric-attribution",
  description: "Amazon Personalize metric attribution; deleted asynchronously (reports already published stay).",
  scope: "regional",
  pollIntervalMs: 10_000,
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

  async describe(_ctx, found) {
    return withStatusNote(found);
  },

  async delete(ctx, found) {
    const client = ctx.client(PersonalizeClient);
    await startAsyncDelete(ctx, {
      what: `DeleteMetricAttribution ${found.name}`,
      send: () => client.send(new DeleteMetricAttributionCommand({ metricAttributionArn: found.id })),
      kind: "metric attribution",
      arn: found.id,
    });
  },

  ...verifiedByStatus("metric attribution"),
});
