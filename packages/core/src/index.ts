export {
  loadManifest,
  type LoadOptions,
  type LoadResult,
  type ResolvedEntry,
  type ResolvedManifest,
} from "./manifest/load.js";
export { formatProblem, type Problem, type SourcePos } from "./manifest/problems.js";
export { manifestJsonSchema } from "./manifest/json-schema.js";
export { Registry } from "./registry.js";
export { AwsSession, defaultRegion, type Identity, type SessionSettings } from "./aws/session.js";
export type { Clock } from "./clock.js";
export { buildPlan } from "./planner.js";
export { executePlan } from "./executor.js";
export { planManifest, applyPlan, exitCodeOf, SafetyRefusal, type RunSettings, type ApplyOptions } from "./engine.js";
export { readPlanFile } from "./plan-file.js";
export type { Plan, PlannedResource, PlanNotice } from "./plan.js";
export type { Outcome, Report, ResourceReport } from "./report.js";
export type { EngineEvent, EngineEvents } from "./events.js";
export { selects, type Selector } from "./selector.js";
export { loadPluginModules } from "./plugin-loader.js";
export { VirtualClock } from "./virtual-clock.js";
export { FaultInjector, parseFaultRates, type FaultRates, type FaultCounts } from "./faults.js";
export { seededRandom } from "./seeded-random.js";
