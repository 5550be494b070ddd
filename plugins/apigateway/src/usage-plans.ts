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
import { classifiedCall, readOrUndefined, removeUnlessGone } from "@cleanup-runner/plugin-kit";

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

/** Every usage plan of the region that serves at least one stage of `restApiId`. */
export async function usagePlansServing(client: APIGatewayClient, restApiId: string): Promise<UsagePlan[]> {
  // GetUsagePlans cannot filter by API: list them all (a region rarely has many).
  return classifiedCall("GetUsagePlans", async () => {
    const serving: UsagePlan[] = [];
    for await (const page of paginateGetUsagePlans({ client, pageSize: 500 }, {})) {
      for (const plan of page.items ?? []) {
        if (plan.apiStages?.some((s) => s.apiId === restApiId)) serving.push(plan);
      }
    }
    return serving;
  });
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
  const stages = plan.apiStages ?? [];
  return {
    id: plan.id ?? "",
    name: plan.name ?? plan.id ?? "",
    stages: stages.filter((s) => s.apiId === restApiId).map((s) => s.stage ?? ""),
    otherStages: stages.filter((s) => s.apiId !== restApiId).map((s) => `${s.apiId}:${s.stage}`),
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
 * Removes every stage of `restApiId` from the usage plans that serve it
 * (UpdateUsagePlan, `remove /apiStages apiId:stage`), read fresh so that a
 * second attempt finds nothing left to do. A usage plan deleted meanwhile is
 * skipped: a NotFound here must never read as "the API is gone".
 */
export async function removeApiFromUsagePlans(client: APIGatewayClient, restApiId: string): Promise<void> {
  for (const plan of await usagePlansServing(client, restApiId)) {
    const patchOperations = (plan.apiStages ?? [])
      .filter((s) => s.apiId === restApiId)
      .map((s) => ({ op: "remove" as const, path: "/apiStages", value: `${restApiId}:${s.stage}` }));
    await removeUnlessGone(`UpdateUsagePlan ${plan.name ?? plan.id} (remove ${restApiId})`, () =>
      client.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations })),
    );
  }
}

/**
 * Deletes a usage plan recorded in the plan once no stage is left in it (it
 * only served APIs this run deletes), then those of its recorded API keys
 * that no other usage plan holds. Safe to repeat: a usage plan already gone
 * still has its keys checked.
 */
export async function deleteEmptiedUsagePlan(client: APIGatewayClient, planned: PlannedUsagePlan): Promise<void> {
  const what = `usage plan ${planned.name}`;
  const current = await readOrUndefined(() => client.send(new GetUsagePlanCommand({ usagePlanId: planned.id })));
  if (current) {
    if ((current.apiStages ?? []).length > 0) return; // still serves another API: kept
    await removeUnlessGone(`DeleteUsagePlan ${planned.name}`, () =>
      client.send(new DeleteUsagePlanCommand({ usagePlanId: planned.id })),
    );
  }
  for (const key of planned.apiKeys) {
    // Undefined: the key itself is gone already.
    const plansOfKey = await readOrUndefined(() => client.send(new GetUsagePlansCommand({ keyId: key.id, limit: 1 })));
    if (!plansOfKey || (plansOfKey.items ?? []).length > 0) continue;
    await removeUnlessGone(`DeleteApiKey ${key.name} (${what})`, () =>
      client.send(new DeleteApiKeyCommand({ apiKey: key.id })),
    );
  }
}
