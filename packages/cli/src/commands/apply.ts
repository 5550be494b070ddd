import { writeFile } from "node:fs/promises";
import {
  applyPlan,
  exitCodeOf,
  readPlanFile,
  type Plan,
  type Registry,
  type ResolvedManifest,
} from "@cleanup-runner/core";
import { input } from "@inquirer/prompts";
import type { Logger } from "pino";
import { pc } from "../colors.js";
import { RefusedError, UsageError, type Io } from "../io.js";
import { renderPlan } from "../render/plan-table.js";
import { createProgress } from "../render/progress.js";
import { renderSummary } from "../render/summary.js";
import { loadForRun, openSession, printProblems, registryFor, type ManifestOptions } from "../setup.js";
import { discoverPlan, planExitCode } from "./plan.js";

/** Options of `runner apply`. */
export interface ApplyCommandOptions extends ManifestOptions {
  yes?: boolean;
  plan?: string;
  report?: string;
  concurrency?: number;
  deadline?: number;
}

/** `20m`, `90s`, `1h` -> ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new UsageError(`"${text}" is not a duration: write e.g. 90s, 20m or 1h`);
  return Number(m[1]) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
}

/** Asks the person to type the account id; refuses without a terminal. */
async function confirm(plan: Plan, io: Io, signal: AbortSignal): Promise<void> {
  if (!io.stdin.isTTY) {
    throw new RefusedError(
      "refusing to delete without confirmation: no terminal to ask on. Pass --yes to apply anyway.",
    );
  }
  const count = plan.resources.filter((r) => r.action === "delete").length;
  let answer: string;
  try {
    answer = await input(
      { message: `Delete ${count} resources in account ${plan.accountId}? Type the account id to confirm:` },
      { input: io.stdin, output: io.stderr, signal },
    );
  } catch {
    throw new RefusedError("not confirmed: nothing was deleted");
  }
  if (answer.trim() !== plan.accountId)
    throw new RefusedError(`"${answer.trim()}" is not ${plan.accountId}: nothing was deleted`);
}

/**
 * `runner apply`: plans (read-only), shows the plan, asks, deletes, waits,
 * verifies and reports. Ctrl-C stops new deletes, lets running ones finish,
 * and still writes the report.
 */
export async function applyCommand(
  file: string | undefined,
  options: ApplyCommandOptions,
  io: Io,
  logger: Logger,
  signal: AbortSignal,
): Promise<number> {
  // Where the plan, the plugins and the account rules come from: a frozen plan (with its manifest, if
  // given), or a fresh read-only discovery of the manifest.
  let plan: Plan;
  let registry: Registry;
  let manifest: ResolvedManifest | undefined;
  if (options.plan) {
    plan = await readPlanFile(options.plan);
    if (file) ({ manifest, registry } = await loadForRun(file, options, io));
    else {
      const loaded = await registryFor(plan.plugins ?? [], plan.manifest.file);
      if (!("registry" in loaded)) {
        printProblems(io, loaded.problems);
        throw new UsageError("cannot load the plugins the plan was made with; pass the manifest too");
      }
      registry = loaded.registry;
    }
    io.stderr.write(
      `Applying the frozen plan ${options.plan} (${plan.createdAt}); resources are re-checked before delete.\n`,
    );
  } else {
    if (!file) throw new UsageError("apply needs a manifest, or --plan plan.json");
    ({ plan, manifest, registry } = await discoverPlan(file, options, io, logger, signal));
  }
  io.stdout.write(renderPlan(plan, io.stdout.columns ?? 120));
  if (!plan.resources.some((r) => r.action === "delete")) {
    io.stdout.write("Nothing to delete.\n");
    return planExitCode(plan);
  }
  if (!options.yes) await confirm(plan, io, signal);

  // The deleting session works in the plan's regions, with the manifest's profile.
  const { session } = await openSession(
    { regions: plan.regions, ...(manifest?.profile ? { profile: manifest.profile } : {}) },
    options,
    false,
    logger,
  );
  const progress = createProgress(plan, io);
  try {
    const report = await applyPlan(
      plan,
      { registry, session, logger, signal, events: progress.events, accounts: manifest?.accounts },
      {
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
        ...(options.deadline ? { deadlineMs: options.deadline } : {}),
        ...(options.plan ? { recheck: true } : {}),
      },
    );
    await progress.finish();
    io.stdout.write("\n" + renderSummary(report));
    if (options.report) {
      await writeFile(options.report, JSON.stringify(report, null, 2) + "\n");
      io.stderr.write(`Report written to ${options.report}\n`);
    }
    const code = exitCodeOf(report);
    if (code !== 0 && !report.interrupted)
      io.stderr.write(pc.yellow("Some resources remain: see the reasons above; run apply again to retry.\n"));
    return code;
  } finally {
    await progress.finish();
    session.destroy();
  }
}
