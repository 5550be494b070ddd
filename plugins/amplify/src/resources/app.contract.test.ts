import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeAmplifyApps } from "../testing/contract-fixture.js";
import { app } from "./app.js";

testResourceType(app, { fixture: fakeAmplifyApps() });
