import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { describe } from "vitest";
import { fakeRestApis } from "../testing/contract-fixtures.js";
import { restApi } from "./rest-api.js";

describe("usage plans kept (default)", () => {
  testResourceType(restApi, { fixture: fakeRestApis() });
});

describe("usage plans deleted (deleteUsagePlans: true)", () => {
  testResourceType(restApi, { fixture: fakeRestApis(), options: { deleteUsagePlans: true } });
});
