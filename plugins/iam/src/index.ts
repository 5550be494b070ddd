import { definePlugin } from "@cleanup-runner/plugin-kit";
import { instanceProfile } from "./resources/instance-profile.js";
import { policy } from "./resources/policy.js";
import { role } from "./resources/role.js";

export default definePlugin({ name: "iam", resources: [role, policy, instanceProfile] });
