import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeIdentityPoolAccount } from "../testing/fake-cognito.js";
import { identityPool } from "./identity-pool.js";

testResourceType(identityPool, { fixture: fakeIdentityPoolAccount(), count: 25 });
