import { defineConfig } from "vitest/config";

// `pnpm test:e2e`: the student-system manifest end to end, against
// AWS_ENDPOINT_URL when set (moto, or a sandbox account), else a moto it starts.
export default defineConfig({
  test: {
    name: "e2e",
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    include: ["test/e2e/**/*.e2e.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
