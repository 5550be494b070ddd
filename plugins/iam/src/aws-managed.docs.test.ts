import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { awsManagedPolicyRule, awsManagedRoleRules } from "./aws-managed.js";

const squeeze = (s: string) => s.replace(/\s+/g, " ");

describe("docs/safety.md", () => {
  it("lists every AWS-managed rule, with what it matches", async () => {
    const doc = await readFile(new URL("../../../docs/safety.md", import.meta.url), "utf8");
    const rows = doc.split("\n").map(squeeze);
    for (const rule of [...awsManagedRoleRules, awsManagedPolicyRule]) {
      const row = rows.find((line) => line.startsWith(`| \`${rule.id}\` |`));
      expect(row, rule.id).toBeDefined();
      expect(row).toContain(squeeze(rule.matches));
    }
  });
});
