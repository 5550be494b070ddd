import { defineConfig } from "vitest/config";

const sources = [
  "packages/*/src/**/*.test.ts",
  "plugins/*/src/**/*.test.ts",
  "examples/*/src/**/*.test.ts",
  "test/**/*.test.ts",
];

export default defineConfig({
  test: {
    // The SDK warns that its releases from 2027 on need Node 22; the versions pinned here run on 20.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    reporters: ["default", "./test/plain-summary-reporter.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: sources,
          exclude: ["**/node_modules/**", "**/dist/**", "**/*.moto.test.ts", "test/e2e/**"],
        },
      },
      {
        // Integration tests against moto server: each file starts its own on a free port.
        test: {
          name: "moto",
          include: sources.map((s) => s.replace("*.test.ts", "*.moto.test.ts")),
          exclude: ["**/node_modules/**", "**/dist/**", "test/e2e/**"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
