import { definePlugin } from "@cleanup-runner/plugin-kit";
import { campaign } from "./resources/campaign.js";
import { datasetGroup } from "./resources/dataset-group.js";
import { dataset } from "./resources/dataset.js";
import { eventTracker } from "./resources/event-tracker.js";
import { filter } from "./resources/filter.js";
import { metricAttribution } from "./resources/metric-attribution.js";
import { recommender } from "./resources/recommender.js";
import { schema } from "./resources/schema.js";
import { solution } from "./resources/solution.js";

export default definePlugin({
  name: "personalize",
  resources: [datasetGroup, campaign, solution, recommender, filter, eventTracker, metricAttribution, dataset, schema],
});
