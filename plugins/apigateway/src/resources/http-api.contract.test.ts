import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeV2Apis } from "../testing/contract-fixtures.js";
import { httpApi } from "./http-api.js";

testResourceType(httpApi, { fixture: fakeV2Apis("HTTP") });
