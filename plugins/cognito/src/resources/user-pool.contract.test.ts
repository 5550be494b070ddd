import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeUserPoolAccount } from "../testing/fake-cognito.js";
import { userPool } from "./user-pool.js";

testResourceType(userPool, { fixture: fakeUserPoolAccount(), count: 25 });
