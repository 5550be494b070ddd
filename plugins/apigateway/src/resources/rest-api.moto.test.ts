import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetApiKeyCommand,
  GetRestApiCommand,
  GetUsagePlanCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from "@aws-sdk/client-api-gateway";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { restApi, type RestApiOptions } from "./rest-api.js";

const moto = useMoto();

/** A REST API with a GET / method deployed to `stage`, a usage plan on that stage and an API key in it. */
async function createServedApi(apigw: APIGatewayClient, name: string, stage: string) {
  const api = await apigw.send(new CreateRestApiCommand({ name, tags: { project: name } }));
  await apigw.send(
    new PutMethodCommand({
      restApiId: api.id,
      resourceId: api.rootResourceId,
      httpMethod: "GET",
      authorizationType: "NONE",
    }),
  );
  await apigw.send(
    new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: "GET", type: "MOCK" }),
  );
  await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: stage }));
  const key = await apigw.send(new CreateApiKeyCommand({ name: `${name}-key`, enabled: true }));
  const plan = await apigw.send(
    new CreateUsagePlanCommand({ name: `${name}-plan`, apiStages: [{ apiId: api.id, stage }] }),
  );
  await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: "API_KEY" }));
  return { apiId: api.id!, planId: plan.id!, keyId: key.id! };
}

async function exists(read: () => Promise<unknown>): Promise<boolean> {
  return read().then(
    () => true,
    (error: Error) => {
      if (error.name === "NotFoundException") return false;
      throw error;
    },
  );
}

describe("apigateway.rest-api on moto", () => {
  it("removes the usage plan association, deletes the API, its usage plan and key, and leaves the decoy intact", async () => {
    const apigw = moto.client(APIGatewayClient);
    const student = await createServedApi(apigw, "student-backend-api", "prod");
    const decoy = await createServedApi(apigw, "other-project-api", "prod");
    const ctx = moto.context<RestApiOptions>({ resource: restApi, options: { deleteUsagePlans: true } });

    const found = await collect(restApi.discover(ctx, {}));
    expect(found.map((f) => f.name).sort()).toEqual(["other-project-api", "student-backend-api"]);
    const target = found.find((f) => f.name === "student-backend-api")!;
    expect(target).toMatchObject({ id: student.apiId, tags: { project: "student-backend-api" } });
    expect(target.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const planned = await restApi.describe!(ctx, target);
    expect(planned.children).toEqual([
      { kind: "stages", count: 1, note: "prod" },
      { kind: "usage plan associations (removed first)", count: 1, note: "student-backend-api-plan (prod)" },
      { kind: "usage plans", count: 1, note: "student-backend-api-plan" },
      { kind: "API keys", count: 1, note: "student-backend-api-key" },
    ]);

    await restApi.delete(ctx, planned);
    expect(await restApi.verify(ctx, planned)).toBe("gone");
    expect(await exists(() => apigw.send(new GetUsagePlanCommand({ usagePlanId: student.planId })))).toBe(false);
    expect(await exists(() => apigw.send(new GetApiKeyCommand({ apiKey: student.keyId })))).toBe(false);

    // The decoy, its usage plan (still on its stage) and its key are untouched.
    expect(await restApi.verify(ctx, { id: decoy.apiId, name: "other-project-api" })).toBe("present");
    const decoyPlan = await apigw.send(new GetUsagePlanCommand({ usagePlanId: decoy.planId }));
    expect(decoyPlan.apiStages).toEqual([{ apiId: decoy.apiId, stage: "prod" }]);
    expect(await exists(() => apigw.send(new GetApiKeyCommand({ apiKey: decoy.keyId })))).toBe(true);
  });

  it("keeps the usage plan and key by default, with the deleted API's stage taken out of the plan", async () => {
    const apigw = moto.client(APIGatewayClient);
    const student = await createServedApi(apigw, "student-backend-api", "prod");
    const ctx = moto.context<RestApiOptions>({ resource: restApi });
    const target = { id: student.apiId, name: "student-backend-api" };

    await restApi.delete(ctx, await restApi.describe!(ctx, target));

    expect(await exists(() => apigw.send(new GetRestApiCommand({ restApiId: student.apiId })))).toBe(false);
    // moto drops nothing by itself when an API goes: the empty list proves the association was removed.
    const plan = await apigw.send(new GetUsagePlanCommand({ usagePlanId: student.planId }));
    expect(plan.apiStages ?? []).toEqual([]);
    expect(await exists(() => apigw.send(new GetApiKeyCommand({ apiKey: student.keyId })))).toBe(true);
  });

  it("reports a second delete as NotFound although moto answers 500 for an unknown id", async () => {
    const apigw = moto.client(APIGatewayClient);
    const api = await apigw.send(new CreateRestApiCommand({ name: "student-backend-api" }));
    const ctx = moto.context<RestApiOptions>({ resource: restApi });
    const target = { id: api.id!, name: "student-backend-api" };
    await restApi.delete(ctx, target);
    await expect(restApi.delete(ctx, target)).rejects.toMatchObject({ kind: "not-found" });
    expect(await restApi.verify(ctx, target)).toBe("gone");
  });
});
