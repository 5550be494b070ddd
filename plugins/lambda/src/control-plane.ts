import type { RateBudget } from "@cleanup-runner/plugin-kit";

/**
 * Lambda's control plane allows 15 requests per second per Region across all
 * its APIs, not adjustable (GetFunction, used by verify, has its own 100/s).
 * A function delete makes about two of them (delete its event source
 * mapping, DeleteFunction), so 7 deletes a second. Functions and layers share this one
 * budget, so its pace is written once.
 */
export const controlPlaneBudget: RateBudget = { key: "lambda:ControlPlane", calls: 7, perMs: 1000, scope: "region" };
