import type { Plan, PlannedResource } from "@cleanup-runner/core";
import Table from "cli-table3";
import { pc } from "../colors.js";
import { relative } from "node:path";
import { formatBytes, formatDuration } from "./format.js";

/** "312 objects, stored log data (1.5 KiB), 2 subscriptions (1 pending)". */
function childrenOf(r: PlannedResource): string {
  return (r.found.children ?? [])
    .map((c) => {
      const what = c.count !== undefined ? `${c.count.toLocaleString("en-US")} ${c.kind}` : c.kind;
      const extra = [c.bytes !== undefined ? formatBytes(c.bytes) : undefined, c.note].filter(Boolean).join(", ");
      return extra ? `${what} (${extra})` : what;
    })
    .join(", ");
}

/** "1,050 objects, 2.3 GiB of stored log data": what the resources to delete take with them, added up. */
export function totalsOfChildren(resources: readonly PlannedResource[]): string {
  const counts = new Map<string, number>();
  const bytes = new Map<string, number>();
  for (const r of resources) {
    for (const c of r.found.children ?? []) {
      if (c.count !== undefined) counts.set(c.kind, (counts.get(c.kind) ?? 0) + c.count);
      if (c.bytes !== undefined) bytes.set(c.kind, (bytes.get(c.kind) ?? 0) + c.bytes);
    }
  }
  return [
    ...[...bytes].map(([kind, n]) => `${formatBytes(n)} of ${kind}`),
    ...[...counts].filter(([, n]) => n > 0).map(([kind, n]) => `${n.toLocaleString("en-US")} ${kind}`),
  ].join(", ");
}

/** The plan as people read it: a table per service, notes, then totals. */
export function renderPlan(plan: Plan, width = 120): string {
  const lines: string[] = [];
  lines.push(
    `${pc.bold(`Plan for ${plan.manifest.name}`)}  account ${plan.accountId}, ${plan.regions.join(", ")}  (${relative(process.cwd(), plan.manifest.file) || plan.manifest.file})`,
  );
  const services = [...new Set(plan.resources.map((r) => r.type.split(".")[0]!))].sort();
  for (const service of services) {
    // Within a service, rows of one matrix value (one student) stay together.
    const matrixKey = (r: PlannedResource) => (r.matrix ? JSON.stringify(r.matrix) : "");
    const rows = plan.resources
      .filter((r) => r.type.startsWith(`${service}.`))
      .sort((a, b) => matrixKey(a).localeCompare(matrixKey(b)));
    const table = new Table({
      head: ["type", "name", "region", "goes with it", "action", "from"].map((h) => pc.bold(h)),
      style: { head: [], border: [] },
      wordWrap: true,
      colWidths: [
        null,
        Math.min(48, Math.floor(width * 0.3)),
        null,
        Math.min(36, Math.floor(width * 0.22)),
        null,
        null,
      ] as number[],
    });
    for (const r of rows) {
      const action = r.action === "delete" ? pc.red("delete") : `${pc.yellow("protected")}: ${r.reason ?? ""}`;
      const origin = r.companionOf
        ? `with ${r.companionOf.key.split("|")[2] ?? ""}`
        : r.source
          ? `${relative(process.cwd(), r.source.file)}:${r.source.line}`
          : "";
      const matrix = r.matrix
        ? Object.entries(r.matrix)
            .map(([k, v]) => `${k}=${v}`)
            .join(" ")
        : "";
      const from = [origin, matrix].filter(Boolean).join("\n");
      table.push([r.type.split(".")[1]!, r.found.name, r.region, childrenOf(r), action, from]);
    }
    lines.push("", pc.bold(service), table.toString());
    for (const r of rows)
      for (const note of r.found.notes ?? []) lines.push(`  ${pc.dim("note")} ${r.found.name}: ${note}`);
  }
  for (const n of plan.notices)
    lines.push(`${n.level === "error" ? pc.red("error") : pc.yellow("warning")} ${n.message}`);
  const toDelete = plan.resources.filter((r) => r.action === "delete").length;
  const withThem = totalsOfChildren(plan.resources.filter((r) => r.action === "delete"));
  if (withThem) lines.push("", `Goes with them: ${withThem}.`);
  const protectedCount = plan.resources.length - toDelete;
  lines.push("", `${pc.bold(String(toDelete))} to delete, ${protectedCount} protected (left alone).`);
  for (const pace of plan.paces) {
    if (pace.minimumMs >= 10_000) {
      lines.push(
        `${pace.budget}: ${pace.resources} deletes paced by its quota, at least ${formatDuration(pace.minimumMs)}.`,
      );
    }
  }
  if (plan.resources.length === 0) lines.push("Nothing in this account matches the manifest.");
  return lines.join("\n") + "\n";
}
