import type { Outcome, Report } from "@cleanup-runner/core";
import Table from "cli-table3";
import { pc } from "../colors.js";
import { formatDuration } from "./format.js";

const colour: Record<Outcome, (s: string) => string> = {
  deleted: pc.green,
  "already-gone": pc.green,
  protected: pc.yellow,
  failed: pc.red,
  remaining: pc.red,
  blocked: pc.red,
  "not-started": pc.yellow,
};

/** The end of an apply: every resource's outcome, the totals, and the API calls made. */
export function renderSummary(report: Report): string {
  const table = new Table({
    head: ["outcome", "type", "name", "region", "reason"].map((h) => pc.bold(h)),
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [null, null, 40, null, 60] as number[],
  });
  for (const r of report.resources) {
    const reason = [r.reason, r.deniedAction ? `grant ${r.deniedAction}` : undefined].filter(Boolean).join("; ");
    table.push([colour[r.outcome](r.outcome), r.type, r.name, r.region, reason]);
  }
  const t = report.totals;
  const took = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  const lines = [
    table.toString(),
    `${pc.green(`${t.deleted} deleted`)}, ${t["already-gone"]} already gone, ${t.protected} protected, ` +
      `${t.failed ? pc.red(`${t.failed} failed`) : "0 failed"}, ${t.remaining ? pc.red(`${t.remaining} remaining`) : "0 remaining"}` +
      (t.blocked ? `, ${pc.red(`${t.blocked} blocked`)}` : "") +
      (t["not-started"] ? `, ${pc.yellow(`${t["not-started"]} not started`)}` : "") +
      ` in ${formatDuration(took)}; ${report.apiCallTotal} AWS calls.`,
  ];
  if (report.interrupted) lines.push(pc.yellow("Interrupted: run the same apply again to finish."));
  return lines.join("\n") + "\n";
}
