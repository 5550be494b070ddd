import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeIamInstanceProfiles } from "../testing/contract-fixtures.js";
import { instanceProfile } from "./instance-profile.js";

testResourceType(instanceProfile, { fixture: fakeIamInstanceProfiles() });
