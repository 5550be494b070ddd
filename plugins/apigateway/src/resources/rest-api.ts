import {
  APIGatewayClient,
  DeleteRestApiCommand,
  GetRestApiCommand,
  GetStagesCommand,
  paginateGetRestApis,
} from "@aws-sdk/client-api-gateway";
import {
  awsErrorBehind,
  classifiedCall,
  classifyAwsError,
  defineResource,
  deleteWithPlannedChildren,
  DependencyPendingError,
  FatalError,
  isStringArray,
  NotFoundError,
  readOrUndefined,
  Type,
  type Child,
  type Found,
  type ResourceContext,
  type ResourceError,
  type Static,
} from "@cleanup-runner/plugin-kit";
import {
  deleteEmptiedUsagePlan,
  otherPlansOfKey,
  planUsagePlan,
  removeApiFromUsagePlans,
  usagePlanAssociations,
  usagePlansOfRegion,
  usagePlansServing,
  type PlannedApiKey,
  type PlannedUsagePlan,
} from "../usage-plans.js";

const options = Type.Object({
  deleteUsagePlans: Type.Boolean({
    default: false,
    description:
      "Also delete the usage plans left serving no API once the deleted REST APIs' stages are removed from them, " +
      "and those of their API keys that no other usage plan holds. Off: the usage plans and keys are kept, " +
      "only their association with the deleted APIs' stages is removed.",
  }),
});

/** The options of an `apigateway.rest-api` entry. */
export type RestApiOptions = Static<typeof options>;

/** A REST API (API Gateway v1), deleted with its stages; its usage plan associations are removed first. */
export const restApi = defineResource({
  type: "apigateway.rest-api",
  description: "An API Gateway REST API with its stages, resources and deployments.",
  scope: "regional",
  // A custom domain's base path mapping blocks DeleteRestApi; deleting the domain takes its mappings.
  dependsOn: ["apigateway.domain-name"],
  options,
  deletesWith: ["stages", "resources and methods", "deployments", "authorizers", "models"],
  // 1 DeleteRestApi per 30 s per account, a quota AWS does not raise.
  rateBudgets: [{ key: "apigateway:DeleteRestApi", calls: 1, perMs: 30_000, scope: "account" }],

  async *discover(ctx) {
    const client = ctx.client(APIGatewayClient);
    for await (const page of paginateGetRestApis({ client, pageSize: 500 }, {})) {
      for (const api of page.items ?? []) {
        if (!api.id) continue;
        yield {
          id: api.id,
          name: api.name ?? api.id,
          arn: `arn:${ctx.partition}:apigateway:${ctx.region}::/restapis/${api.id}`,
          tags: { ...api.tags },
          ...(api.createdDate ? { createdAt: api.createdDate.toISOString() } : {}),
        };
      }
    }
  },

  async describe(ctx, found) {
    return classifiedCall(`describe REST API ${found.name}`, () =>
      describeRestApi(ctx.client(APIGatewayClient), found, ctx.options.deleteUsagePlans),
    );
  },

  async delete(ctx, found) {
    const client = ctx.client(APIGatewayClient);
    const planned = plannedUsagePlans(found);
    let alreadyGone: ResourceError | undefined;
    try {
      await deleteWithPlannedChildren(
        planned,
        // A plan without them (an older plan file): the usage plans serving the API now.
        () => usagePlanAssociations(client, found.id),
        async (associations) => {
          await removeApiFromUsagePlans(client, found.id, associations);
          try {
            await client.send(new DeleteRestApiCommand({ restApiId: found.id }));
          } catch (error) {
            throw await deleteRestApiError(ctx, found, error);
          }
        },
        refusedForUsagePlan,
      );
    } catch (error) {
      const classified = classifyAwsError(error);
      if (classified.kind !== "not-found") throw classified;
      alreadyGone = classified;
    }
    // Only once the API is gone: a usage plan is never deleted for an API that stays. A run
    // after a partial attempt finds the API gone and still finishes this cleanup.
    if (ctx.options.deleteUsagePlans) {
      for (const usagePlan of planned ?? []) await deleteEmptiedUsagePlan(client, usagePlan, found.id);
    }
    if (alreadyGone) throw alreadyGone;
  },

  async verify(ctx, found) {
    const api = await readOrUndefined(() =>
      ctx.client(APIGatewayClient).send(new GetRestApiCommand({ restApiId: found.id })),
    );
    return api ? "present" : "gone";
  },
});

/** Stages, and the usage plans (with their API keys) that serve the API, for the plan. */
async function describeRestApi(client: APIGatewayClient, found: Found, deleteUsagePlans: boolean): Promise<Found> {
  const stages = await client.send(new GetStagesCommand({ restApiId: found.id }));
  const stageNames = (stages.item ?? []).map((s) => s.stageName ?? "");
  const usagePlans: PlannedUsagePlan[] = [];
  for (const plan of usagePlansServing(await usagePlansOfRegion(client), found.id)) {
    const planned = await planUsagePlan(client, plan, found.id);
    if (!deleteUsagePlans || planned.otherStages.length > 0) usagePlans.push(planned);
    else {
      // Only for usage plans about to go: does another plan hold the key?
      const apiKeys = [];
      for (const key of planned.apiKeys) {
        apiKeys.push({ ...key, otherPlans: await otherPlansOfKey(client, key.id, planned.id) });
      }
      usagePlans.push({ ...planned, apiKeys });
    }
  }
  return {
    ...found,
    children: [
      { kind: "stages", count: stageNames.length, ...(stageNames.length ? { note: stageNames.join(", ") } : {}) },
      ...usagePlanChildren(usagePlans, deleteUsagePlans),
    ],
    details: { ...found.details, usagePlans },
    notes: usagePlanNotes(usagePlans, deleteUsagePlans),
  };
}

/**
 * The usage plans describe recorded, read back from the (possibly frozen)
 * plan; `undefined` when the plan holds none or they are malformed (a plan
 * file of an older version), so that delete reads them fresh.
 */
function plannedUsagePlans(found: Found): PlannedUsagePlan[] | undefined {
  const recorded = found.details?.usagePlans;
  if (!Array.isArray(recorded) || !recorded.every(isPlannedUsagePlan)) return undefined;
  return recorded;
}

const isString = (value: unknown): value is string => typeof value === "string";

function isPlannedApiKey(value: unknown): value is PlannedApiKey {
  const key = value as Partial<Record<keyof PlannedApiKey, unknown>> | null;
  return (
    typeof key === "object" &&
    key !== null &&
    isString(key.id) &&
    isString(key.name) &&
    (key.otherPlans === undefined || isStringArray(key.otherPlans))
  );
}

function isPlannedUsagePlan(value: unknown): value is PlannedUsagePlan {
  const plan = value as Partial<Record<keyof PlannedUsagePlan, unknown>> | null;
  return (
    typeof plan === "object" &&
    plan !== null &&
    isString(plan.id) &&
    isString(plan.name) &&
    isStringArray(plan.stages) &&
    isStringArray(plan.otherStages) &&
    Array.isArray(plan.apiKeys) &&
    plan.apiKeys.every(isPlannedApiKey)
  );
}

/**
 * DeleteRestApi refused for a usage plan association, or UpdateUsagePlan for
 * a stage no longer where the plan saw it: the associations changed since
 * they were read.
 */
function refusedForUsagePlan(error: unknown): boolean {
  const refusal = awsErrorBehind(error);
  return refusal.name === "BadRequestException" && /usage plan|Invalid API Stage/i.test(refusal.message ?? "");
}

/** Usage plans and API keys that go with the API (only with deleteUsagePlans), and the associations removed. */
function usagePlanChildren(usagePlans: PlannedUsagePlan[], deleteUsagePlans: boolean): Child[] {
  if (usagePlans.length === 0) return [];
  const children: Child[] = [
    {
      kind: "usage plan associations (removed first)",
      count: usagePlans.length,
      note: usagePlans.map((p) => `${p.name} (${p.stages.join(", ")})`).join("; "),
    },
  ];
  const going = deleteUsagePlans ? usagePlans.filter((p) => p.otherStages.length === 0) : [];
  if (going.length > 0) {
    children.push({ kind: "usage plans", count: going.length, note: going.map((p) => p.name).join(", ") });
    const keys = going.flatMap((p) => p.apiKeys).filter((k) => (k.otherPlans ?? []).length === 0);
    if (keys.length > 0)
      children.push({ kind: "API keys", count: keys.length, note: keys.map((k) => k.name).join(", ") });
  }
  return children;
}

/** What is kept, and why, for a person reading the plan. */
function usagePlanNotes(usagePlans: PlannedUsagePlan[], deleteUsagePlans: boolean): string[] {
  const notes: string[] = [];
  for (const plan of usagePlans) {
    const keys = plan.apiKeys.map((k) => k.name).join(", ");
    if (!deleteUsagePlans) {
      notes.push(
        `usage plan ${plan.name} is kept${keys ? ` with its API keys (${keys})` : ""}; only this API's stages are ` +
          `removed from it (option deleteUsagePlans: true deletes usage plans left serving no API)`,
      );
    } else if (plan.otherStages.length > 0) {
      notes.push(
        `usage plan ${plan.name} also serves ${plan.otherStages.join(", ")}: it is deleted${keys ? ` with its API keys (${keys})` : ""} ` +
          `only if no stage is left in it once this API's stages are removed`,
      );
    } else {
      for (const key of plan.apiKeys) {
        if ((key.otherPlans ?? []).length > 0) {
          notes.push(`API key ${key.name} is kept: usage plan(s) ${key.otherPlans?.join(", ")} also hold it`);
        }
      }
    }
  }
  return notes;
}

/**
 * Classifies a failed DeleteRestApi. moto (unlike AWS, which documents
 * NotFoundException) answers 500 for an unknown id: a server error is checked
 * with GetRestApi, and an API that is not there is reported as NotFound.
 */
async function deleteRestApiError(ctx: ResourceContext, found: Found, error: unknown): Promise<ResourceError> {
  const what = `DeleteRestApi ${found.name}`;
  const { name, message } = error as Error;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  if (status >= 500) {
    const api = await readOrUndefined(() =>
      ctx.client(APIGatewayClient).send(new GetRestApiCommand({ restApiId: found.id })),
    );
    if (!api) return new NotFoundError(`${what}: the REST API does not exist`, { cause: error });
  }
  if (name === "BadRequestException" && /base path mapping/i.test(message)) {
    return new FatalError(
      `${what}: a custom domain still maps this API (${message}). ` +
        `Select the domain with type apigateway.domain-name, or delete its base path mapping.`,
      { cause: error },
    );
  }
  // The stage was just taken out of a usage plan; AWS may not see it yet.
  if (name === "BadRequestException" && /usage plan/i.test(message)) {
    return new DependencyPendingError(`${what}: ${message}`, { cause: error });
  }
  return classifyAwsError(error, what);
}
