import { definePlugin } from "@cleanup-runner/plugin-kit";
import { domainName } from "./resources/domain-name.js";
import { graphqlApi } from "./resources/graphql-api.js";

export default definePlugin({ name: "appsync", resources: [graphqlApi, domainName] });
