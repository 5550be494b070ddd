import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakePersonalizeFixture } from "../testing/index.js";
import { filter } from "./filter.js";

testResourceType(filter, { fixture: fakePersonalizeFixture("filter") });
