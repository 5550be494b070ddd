import { definePlugin } from "@cleanup-runner/plugin-kit";
import { subscription } from "./resources/subscription.js";
import { topic } from "./resources/topic.js";

/** Amazon SNS: topics and their subscriptions. */
export default definePlugin({ name: "sns", resources: [topic, subscription] });
