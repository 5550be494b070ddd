import type { Plan, PlannedResource } from "@cleanup-runner/core";
import { describe, expect, it } from "vitest";
import { renderPlan, totalsOfChildren } from "./plan-table.js";

const resource = (name: string, over: Partial<PlannedResource> = {}): PlannedResource => ({
  key: `logs.log-group|us-east-1|${name}`,
  type: "logs.log-group",
  region: "us-east-1",
  found: { id: name, name, children: [{ kind: "stored log data", bytes: 1536 * 1024 }] },
  action: "delete",
  options: {},
  dependsOn: [],
  ...over,
});

const plan = (resources: PlannedResource[], paces: Plan["paces"] = []): Plan => ({
  version: 1,
  createdAt: "2026-01-01T00:00:00Z",
  manifest: { file: "m.yaml", name: "m" },
  accountId: "123456789012",
  partition: "aws",
  regions: ["us-east-1"],
  resources,
  notices: [{ level: "warning", message: "a companion has no plugin" }],
  paces,
});

describe("renderPlan", () => {
  it("adds up what the resources to delete take with them, bytes and counts, and leaves protected ones out", () => {
    const resources = [
      resource("/a"),
      resource("/b"),
      resource("/c", { action: "protected", reason: "deletion protection" }),
      {
        ...resource("bucket"),
        type: "s3.bucket" as const,
        found: {
          id: "b",
          name: "b",
          children: [
            { kind: "objects", count: 1050 },
            { kind: "uploads", count: 0 },
          ],
        },
      },
    ];
    expect(totalsOfChildren(resources.filter((r) => r.action === "delete"))).toBe(
      "3.0 MiB of stored log data, 1,050 objects",
    );
    const text = renderPlan(plan(resources), 200);
    expect(text).toContain("Goes with them: 3.0 MiB of stored log data, 1,050 objects.");
    expect(text).toContain("stored log data (1.5 MiB)");
    expect(text).toContain("3 to delete, 1 protected (left alone).");
    expect(text).toContain("protected: deletion protection");
    expect(text).toContain("warning a companion has no plugin");
  });

  it("estimates the time a quota imposes, when it matters", () => {
    const paced = plan(
      [resource("/a")],
      [
        { budget: "apigateway:DeleteRestApi", resources: 5, minimumMs: 120_000 },
        { budget: "logs:DeleteLogGroup@us-east-1", resources: 3, minimumMs: 200 },
      ],
    );
    const text = renderPlan(paced);
    expect(text).toContain("apigateway:DeleteRestApi: 5 deletes paced by its quota, at least 2m 0s.");
    expect(text).not.toContain("logs:DeleteLogGroup");
  });
});
