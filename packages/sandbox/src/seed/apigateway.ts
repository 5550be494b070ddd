import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetApiKeyCommand,
  GetRestApiCommand,
  GetUsagePlanCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from "@aws-sdk/client-api-gateway";
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateRouteCommand,
  CreateStageCommand,
  GetApiCommand,
} from "@aws-sdk/client-apigatewayv2";
import { clientConfig, seeded, type SeedResult, type SeededResource, type SeedTarget } from "./types.js";

/**
 * A REST API with `GET /students` deployed to stage `prod`, served by a usage
 * plan that holds one API key. Returns the three as seeded resources.
 */
async function restApiWithUsagePlan(client: APIGatewayClient, name: string, planName: string, keyName: string) {
  const api = await client.send(new CreateRestApiCommand({ name, description: "Student management backend" }));
  const students = await client.send(
    new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: "students" }),
  );
  const method = { restApiId: api.id, resourceId: students.id, httpMethod: "GET" };
  await client.send(new PutMethodCommand({ ...method, authorizationType: "NONE", apiKeyRequired: true }));
  await client.send(new PutIntegrationCommand({ ...method, type: "MOCK" }));
  await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: "prod" }));
  const key = await client.send(new CreateApiKeyCommand({ name: keyName, enabled: true }));
  const plan = await client.send(
    new CreateUsagePlanCommand({ name: planName, apiStages: [{ apiId: api.id, stage: "prod" }] }),
  );
  await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: "API_KEY" }));
  return [
    seeded(`apigateway.rest-api ${name}`, () => client.send(new GetRestApiCommand({ restApiId: api.id }))),
    seeded(`apigateway usage plan ${planName}`, () => client.send(new GetUsagePlanCommand({ usagePlanId: plan.id }))),
    seeded(`apigateway API key ${keyName}`, () => client.send(new GetApiKeyCommand({ apiKey: key.id }))),
  ];
}

/** A WebSocket API with `$connect` and `sendMessage` routes and a `production` stage. */
async function websocketApi(client: ApiGatewayV2Client, name: string): Promise<SeededResource> {
  const api = await client.send(
    new CreateApiCommand({ Name: name, ProtocolType: "WEBSOCKET", RouteSelectionExpression: "$request.body.action" }),
  );
  for (const RouteKey of ["$connect", "sendMessage"])
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey }));
  await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: "production" }));
  return seeded(`apigateway.websocket-api ${name}`, () => client.send(new GetApiCommand({ ApiId: api.ApiId })));
}

/**
 * The workshop's API Gateway footprint: the backend REST API with its usage
 * plan and API key (the manifest deletes those with `deleteUsagePlans`), the
 * realtime WebSocket API and StudentChatAPI (a chat is a WebSocket API).
 * Decoys: another project's REST API with its own usage plan and key, and an
 * HTTP API.
 */
export async function seedApigateway(target: SeedTarget, prefix: string): Promise<SeedResult> {
  const v1 = new APIGatewayClient(clientConfig(target));
  const v2 = new ApiGatewayV2Client(clientConfig(target));
  const selected = [
    ...(await restApiWithUsagePlan(v1, `${prefix}-backend-api`, `${prefix}-usage-plan`, `${prefix}-api-key`)),
    await websocketApi(v2, `${prefix}-realtime`),
    await websocketApi(v2, "StudentChatAPI"),
  ];
  const otherHttp = await v2.send(new CreateApiCommand({ Name: "other-project-http", ProtocolType: "HTTP" }));
  const decoys = [
    ...(await restApiWithUsagePlan(v1, "other-project-api", "other-project-plan", "other-project-key")),
    seeded("apigateway.http-api other-project-http", () => v2.send(new GetApiCommand({ ApiId: otherHttp.ApiId }))),
  ];
  return { selected, decoys };
}
