import { writeFile } from "node:fs/promises";
import { planManifest, type Plan, type Registry, type ResolvedManifest } from "@cleanup-runner/core";
import type { Logger } from "pino";
import type { Io } from "../io.js";
import { renderPlan } from "../render/plan-table.js";
import { loadForRun, openSession, type ManifestOptions } from "../setup.js";

/** Options of `runner plan`. */
export interface PlanOptions extends ManifestOptions {
  out?: string;
  output?: "table" | "json";
}

/**
 * Discovers, read-only, what the manifest selects. Its session refuses any
 * call that is not a read, so a plan cannot change anything.
 */
export async function discoverPlan(
  file: string,
  options: ManifestOptions,
  io: Io,
  logger: Logger,
  signal?: AbortSignal,
): Promise<{ plan: Plan; manifest: ResolvedManifest; registry: Registry }> {
  const { manifest, registry } = await loadForRun(file, options, io);
  const { session, regions } = await openSession(manifest, options, true, logger);
  try {
    const plan = await planManifest(manifest, regions, { registry, session, logger, ...(signal ? { signal } : {}) });
    logger.debug({ apiCalls: session.calls.toJSON() }, "plan API calls");
    return { plan, manifest, registry };
  } finally {
    session.destroy();
  }
}

/** A plan's exit code on its own: 1 when discovery failed somewhere, so the plan may miss resources. */
export function planExitCode(plan: Plan): 0 | 1 {
  return plan.notices.some((n) => n.level === "error") ? 1 : 0;
}

/** `runner plan`: prints what apply would delete; exit 1 when discovery failed somewhere. */
export async function planCommand(file: string, options: PlanOptions, io: Io, logger: Logger): Promise<number> {
  const { plan } = await discoverPlan(file, options, io, logger);
  if (options.output === "json") io.stdout.write(JSON.stringify(plan, null, 2) + "\n");
  else io.stdout.write(renderPlan(plan, io.stdout.columns ?? 120));
  if (options.out) {
    await writeFile(options.out, JSON.stringify(plan, null, 2) + "\n");
    io.stderr.write(`Plan written to ${options.out}; apply exactly it with: runner apply --plan ${options.out}\n`);
  }
  return planExitCode(plan);
}
