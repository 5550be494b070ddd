import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakePersonalizeFixture } from "../testing/index.js";
import { solution } from "./solution.js";

testResourceType(solution, { fixture: fakePersonalizeFixture("solution") });
