import { definePlugin } from "@cleanup-runner/plugin-kit";
import { app } from "./resources/app.js";

export default definePlugin({ name: "amplify", resources: [app] });
