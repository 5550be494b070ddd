import {
  APIGatewayClient,
  DeleteApiKeyCommand,
  DeleteUsagePlanCommand,
  GetUsagePlanCommand,
  GetUsagePlansCommand,
  UpdateUsagePlanCommand,
  paginateGetUsagePlanKeys,
  paginateGetUsagePlans,
  type UsagePlan,
} from "@aws-sdk/client-api-gateway";
import {
  awsErrorBehind,
  DependencyPendingError,
  classifiedCall,
  classifyAwsError,
  oncePerClient,
  readOrUndefined,
  removeUnlessGone,
  type ResourceError,
} from "@cleanup-runner/plugin-kit";

/** An API key of a usage plan, as the plan shows it (never its value). */
export interface PlannedApiKey {
  readonly id: string;
  readonly name: string;
  /** Names of the other usage plans that hold the key, when read (only with deleteUsagePlans). */
  readonly otherPlans?: string[];
}

/** A usage plan that serves stages of the REST API, frozen into the plan's details. */
export interface PlannedUsagePlan {
  readonly id: string;
  readonly name: string;
  /** The stages of this API the usage plan serves. */
  readonly stages: string[];
  /** Stages of other APIs it serves too, as `apiId:stage`. */
  readonly otherStages: string[];
  /** Its API keys. */
  readonly apiKeys: PlannedApiKey[];
}

/**
 * Every usage plan of the region, with the API stages each serves, read now:
 * GetUsagePlans without `keyId` lists the whole region's usage plans, paged by
 * `position` (it cannot filter by API).
 */
async function listUsagePlans(client: APIGatewayClient): Promise<UsagePlan[]> {
  return classifiedCall("GetUsagePlans", async () => {
    const plans: UsagePlan[] = [];
    for await (const page of paginateGetUsagePlans({ client, pageSize: 500 }, {})) plans.push(...(page.items ?? []));
    return plans;
  });
}

/**
 * The region's usage plans as planning reads them: one listing per run and
 * region that every REST API's describe filters, instead of a listing each.
 */
export const usagePlansOfRegion = oncePerClient(listUsagePlans);

/** The usage plans among `plans` that serve at least one stage of `restApiId`. */
export function usagePlansServing(plans: readonly UsagePlan[], restApiId: string): UsagePlan[] {
  return plans.filter((plan) => plan.apiStages?.some((s) => s.apiId === restApiId));
}

/** Where a REST API's stages sit in a usage plan: what removing the API from it takes. */
export type UsagePlanAssociation = Pick<PlannedUsagePlan, "id" | "name" | "stages">;

/** The usage plan's id and name, and the stages of `restApiId` it serves. */
function associationOf(plan: UsagePlan, restApiId: string): UsagePlanAssociation {
  return {
    id: plan.id ?? "",
    name: plan.name ?? plan.id ?? "",
    stages: (plan.apiStages ?? []).filter((s) => s.apiId === restApiId).map((s) => s.stage ?? ""),
  };
}

/** The usage plans that serve `restApiId` now, with its stages in each: read fresh. */
export async function usagePlanAssociations(
  client: APIGatewayClient,
  restApiId: string,
): Promise<UsagePlanAssociation[]> {
  return usagePlansServing(await listUsagePlans(client), restApiId).map((plan) => associationOf(plan, restApiId));
}

/** The usage plan as the plan records it: its stages of this API and of others, its API keys. */
export async function planUsagePlan(
  client: APIGatewayClient,
  plan: UsagePlan,
  restApiId: string,
): Promise<PlannedUsagePlan> {
  const apiKeys: PlannedApiKey[] = [];
  for await (const page of paginateGetUsagePlanKeys({ client }, { usagePlanId: plan.id })) {
    for (const key of page.items ?? []) if (key.id) apiKeys.push({ id: key.id, name: key.name ?? key.id });
  }
  return {
    ...associationOf(plan, restApiId),
    otherStages: (plan.apiStages ?? []).filter((s) => s.apiId !== restApiId).map((s) => `${s.apiId}:${s.stage}`),
    apiKeys,
  };
}

/** Names of the usage plans other than `usagePlanId` that hold the API key. */
export async function otherPlansOfKey(client: APIGatewayClient, keyId: string, usagePlanId: string): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateGetUsagePlans({ client }, { keyId })) {
    for (const plan of page.items ?? []) if (plan.id !== usagePlanId) names.push(plan.name ?? plan.id ?? "");
  }
  return names;
}

/**
 * Removes the given stages of `restApiId` from the usage plans that serve
 * them (UpdateUsagePlan, `remove /apiStages apiId:stage`). A usage plan
 * deleted meanwhile is skipped: a NotFound here must never read as "the API
 * is gone". A stage no longer in its usage plan is refused (BadRequest
 * "Invalid API Stage specified"): the associations were read before a change,
 * and the caller reads them fresh.
 */
export async function removeApiFromUsagePlans(
  client: APIGatewayClient,
  restApiId: string,
  associations: readonly UsagePlanAssociation[],
): Promise<void> {
  for (const plan of associations) {
    if (plan.stages.length === 0) continue;
    const patchOperations = plan.stages.map((stage) => ({
      op: "remove" as const,
      path: "/apiStages",
      value: `${restApiId}:${stage}`,
    }));
    await removeUnlessGone(`UpdateUsagePlan ${plan.name} (remove ${restApiId})`, () =>
      client.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations })),
    );
  }
}

/** DeleteUsagePlan's refusal while a stage is left in the usage plan ("there are API Stages associated with it"). */
function stillServesStages(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e.name === "BadRequestException" && /API Stages associated/i.test(e.message ?? "");
}

/** The refusal is also given for a while after the last stage was removed: worth retrying, not a failure. */
function classifyDeleteUsagePlanError(error: unknown, what?: string): ResourceError {
  if (stillServesStages(error))
    return new DependencyPendingError(`${what}: ${(error as Error).message}`, { cause: error });
  return classifyAwsError(error, what);
}

/**
 * Deletes a usage plan recorded in the plan once no stage is left in it (it
 * only served APIs this run deletes), then those of its recorded API keys
 * that no other usage plan holds, neither when planned nor now. Safe to
 * repeat: a usage plan already gone still has its keys checked.
 *
 * DeleteUsagePlan itself refuses a usage plan that still serves a stage, so
 * one that served only this API when planned is deleted without a read; one
 * that also served other APIs is read first (those may stay, and an emulator
 * may not refuse). After a refusal a fresh read tells whether only this
 * API's stages remain (added since the plan: removed, then the delete is
 * tried once more), another API's (kept), or none (the removal not seen yet:
 * a pending dependency, for the engine to retry).
 */
export async function deleteEmptiedUsagePlan(
  client: APIGatewayClient,
  planned: PlannedUsagePlan,
  restApiId: string,
): Promise<void> {
  const what = `usage plan ${planned.name}`;
  const read = () => readOrUndefined(() => client.send(new GetUsagePlanCommand({ usagePlanId: planned.id })));
  const remove = () =>
    removeUnlessGone(
      `DeleteUsagePlan ${planned.name}`,
      () => client.send(new DeleteUsagePlanCommand({ usagePlanId: planned.id })),
      classifyDeleteUsagePlanError,
    );
  const current = planned.otherStages.length > 0 ? await read() : { apiStages: [] };
  if (current) {
    if ((current.apiStages ?? []).length > 0) return; // still serves another API: kept
    try {
      await remove();
    } catch (error) {
      if (!stillServesStages(awsErrorBehind(error))) throw error;
      const now = await read();
      const stages = now?.apiStages ?? [];
      if (stages.some((s) => s.apiId !== restApiId)) return; // another API's: kept
      if (now) {
        // None left: AWS still refuses for a moment after the last stage went; the engine retries.
        if (stages.length === 0) throw error;
        const association = { id: planned.id, name: planned.name, stages: stages.map((s) => s.stage ?? "") };
        await removeApiFromUsagePlans(client, restApiId, [association]);
        await remove();
      }
      // Undefined: the usage plan went meanwhile; its keys are still checked.
    }
  }
  for (const key of planned.apiKeys) {
    // The plan showed it kept, as another usage plan held it: kept even if that one went since.
    if ((key.otherPlans ?? []).length > 0) continue;
    // Undefined: the key itself is gone already.
    const plansOfKey = await readOrUndefined(() => client.send(new GetUsagePlansCommand({ keyId: key.id, limit: 1 })));
    if (!plansOfKey || (plansOfKey.items ?? []).length > 0) continue;
    await removeUnlessGone(`DeleteApiKey ${key.name} (${what})`, () =>
      client.send(new DeleteApiKeyCommand({ apiKey: key.id })),
    );
  }
}
