import { definePlugin } from "@cleanup-runner/plugin-kit";
import { domainName } from "./resources/domain-name.js";
import { httpApi } from "./resources/http-api.js";
import { restApi } from "./resources/rest-api.js";
import { websocketApi } from "./resources/websocket-api.js";

export default definePlugin({ name: "apigateway", resources: [restApi, httpApi, websocketApi, domainName] });
