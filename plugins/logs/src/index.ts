import { definePlugin } from "@cleanup-runner/plugin-kit";
import { logGroup } from "./resources/log-group.js";

export default definePlugin({ name: "logs", resources: [logGroup] });
