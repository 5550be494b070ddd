import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakePersonalizeFixture } from "../testing/index.js";
import { recommender } from "./recommender.js";

testResourceType(recommender, { fixture: fakePersonalizeFixture("recommender") });
