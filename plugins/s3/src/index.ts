import { definePlugin } from "@cleanup-runner/plugin-kit";
import { bucket } from "./resources/bucket.js";

export default definePlugin({ name: "s3", resources: [bucket] });
