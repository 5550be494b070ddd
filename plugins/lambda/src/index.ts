import { definePlugin } from "@cleanup-runner/plugin-kit";
import { lambdaFunction } from "./resources/function.js";
import { layer } from "./resources/layer.js";

export default definePlugin({ name: "lambda", resources: [lambdaFunction, layer] });
