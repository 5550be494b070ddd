import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakePersonalizeFixture } from "../testing/index.js";
import { campaign } from "./campaign.js";

testResourceType(campaign, { fixture: fakePersonalizeFixture("campaign") });
