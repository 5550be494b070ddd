import { definePlugin } from "@cleanup-runner/plugin-kit";
import { table } from "./resources/table.js";

export default definePlugin({ name: "dynamodb", resources: [table] });
