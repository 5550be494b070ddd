import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeIamRoles } from "../testing/contract-fixtures.js";
import { role } from "./role.js";

testResourceType(role, { fixture: fakeIamRoles() });
