import { readFile } from "node:fs/promises";
import type { Plan } from "./plan.js";

/** Reads a plan written by `plan --out`; throws a readable error when it is not one. */
export async function readPlanFile(file: string): Promise<Plan> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: not a readable plan (${(error as Error).message})`, { cause: error });
  }
  // `null`, a number or a list parse too: only an object can be a plan.
  const plan = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Partial<Plan>;
  if (plan.version !== 1 || !Array.isArray(plan.resources) || typeof plan.accountId !== "string") {
    throw new Error(`${file}: not a plan written by "runner plan --out" (version 1)`);
  }
  for (const [i, r] of plan.resources.entries()) {
    if (typeof r?.key !== "string" || typeof r.type !== "string" || typeof r.found?.id !== "string") {
      throw new Error(`${file}: resources[${i}] is not a planned resource`);
    }
  }
  return plan as Plan;
}
