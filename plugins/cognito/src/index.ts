import { definePlugin } from "@cleanup-runner/plugin-kit";
import { identityPool } from "./resources/identity-pool.js";
import { userPool } from "./resources/user-pool.js";

/** Amazon Cognito: user pools and identity pools. */
export default definePlugin({ name: "cognito", resources: [userPool, identityPool] });
