import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeGraphqlApis } from "../testing/contract-fixtures.js";
import { graphqlApi } from "./graphql-api.js";

testResourceType(graphqlApi, { fixture: fakeGraphqlApis() });
