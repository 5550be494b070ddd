export {
  loadManifest,
  type LoadOptions,
  type LoadResult,
  type ResolvedEntry,
  type ResolvedManifest,
} from "./manifest/load.js";
export { formatProblem, type Problem, type SourcePos } from "./manifest/problems.js";
export { Manifest as ManifestSchema } from "./manifest/schema.js";
export { manifestJsonSchema } from "./manifest/json-schema.js";
export { Registry } from "./registry.js";
export { AwsSession, MutationRefusedError, defaultRegion, type Identity, type SessionSettings } from "./aws/session.js";
export { CallLog } from "./aws/call-log.js";
export { systemClock, type Clock } from "./clock.js";
export { buildPlan, findCycle } from "./planner.js";
export { executePlan } from "./executor.js";
export {
  planManifest,
  applyPlan,
  exitCodeOf,
  checkAccount,
  SafetyRefusal,
  type RunSettings,
  type ApplyOptions,
} from "./engine.js";
export { readPlanFile } from "./plan-file.js";
export { resourceKey, type Plan, type PlannedResource, type PlanNotice } from "./plan.js";
export { goneOutcomes, totals, type Outcome, type Report, type ResourceReport } from "./report.js";
export type { EngineEvent, EngineEvents } from "./events.js";
export { selects, mayBeSelected, globToRegExp, olderThanCutoff, type Selector } from "./selector.js";
export { RateBudgets } from "./rate-budget.js";
export { loadPluginModules } from "./plugin-loader.js";
export { VirtualClock } from "./virtual-clock.js";
export { FaultInjector, parseFaultRates, type FaultRates, type FaultCounts } from "./faults.js";
