import type { Plan } from "@cleanup-runner/core";
import { describe, expect, it } from "vitest";
import { planExitCode } from "./plan.js";

const planWith = (notices: Plan["notices"]): Plan => ({
  version: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
  manifest: { file: "m.yaml", name: "m" },
  accountId: "123456789012",
  partition: "aws",
  regions: ["us-east-1"],
  resources: [],
  notices,
  paces: [],
});

describe("planExitCode", () => {
  it("is 1 when discovery failed somewhere, 0 when only warnings or nothing was said", () => {
    expect(planExitCode(planWith([]))).toBe(0);
    expect(planExitCode(planWith([{ level: "warning", message: "a companion no plugin has" }]))).toBe(0);
    expect(planExitCode(planWith([{ level: "error", message: "could not discover s3.bucket" }]))).toBe(1);
  });
});
