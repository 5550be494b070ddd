import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeV2Apis } from "../testing/contract-fixtures.js";
import { websocketApi } from "./websocket-api.js";

testResourceType(websocketApi, { fixture: fakeV2Apis("WEBSOCKET") });
