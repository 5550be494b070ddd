import { defineResource } from "@cleanup-runner/plugin-kit";
import { listV2Apis } from "../list-apis.js";
import { deleteV2Api, describeV2Api, v2ApiDeletesWith, v2ApiProtectedReason, verifyV2Api } from "../v2-api.js";

/** An API Gateway WebSocket API (v2), deleted with DeleteApi along with its stages, routes and integrations. */
export const websocketApi = defineResource({
  type: "apigateway.websocket-api",
  description: "An API Gateway WebSocket API (v2) with its stages, routes and integrations.",
  scope: "regional",
  // A custom domain's API mapping blocks DeleteApi; deleting the domain takes its mappings.
  dependsOn: ["apigateway.domain-name"],
  deletesWith: v2ApiDeletesWith,
  discover: (ctx) => listV2Apis(ctx, "WEBSOCKET"),
  describe: describeV2Api,
  delete: deleteV2Api,
  verify: verifyV2Api,
  protectedReason: v2ApiProtectedReason,
});
