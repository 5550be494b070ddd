import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeIamPolicies } from "../testing/contract-fixtures.js";
import { policy } from "./policy.js";

testResourceType(policy, { fixture: fakeIamPolicies() });
