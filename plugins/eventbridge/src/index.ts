import { definePlugin } from "@cleanup-runner/plugin-kit";
import { eventBus } from "./resources/event-bus.js";
import { rule } from "./resources/rule.js";
import { scheduleGroup } from "./resources/schedule-group.js";
import { schedule } from "./resources/schedule.js";

/** Amazon EventBridge: event buses and rules, and EventBridge Scheduler schedules and groups. */
export default definePlugin({ name: "eventbridge", resources: [eventBus, rule, schedule, scheduleGroup] });
