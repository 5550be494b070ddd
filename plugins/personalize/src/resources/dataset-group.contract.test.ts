import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakePersonalizeFixture } from "../testing/index.js";
import { datasetGroup } from "./dataset-group.js";

testResourceType(datasetGroup, { fixture: fakePersonalizeFixture("datasetGroup") });
