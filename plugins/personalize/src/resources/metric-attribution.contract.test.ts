import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakePersonalizeFixture } from "../testing/index.js";
import { metricAttribution } from "./metric-attribution.js";

testResourceType(metricAttribution, { fixture: fakePersonalizeFixture("metricAttribution"), tags: false });
