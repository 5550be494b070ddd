/**
 * DeleteRestApi allows 1 call per 30 s per account, and the quota cannot be
 * raised: the engine must space REST API deletes 30 s apart (on simulated
 * time) while other types go on at once, and wait out a 429 rather than fail.
 */
import {
  APIGatewayClient,
  DeleteRestApiCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStagesCommand,
  GetUsagePlansCommand,
} from "@aws-sdk/client-api-gateway";
import {
  ApiGatewayV2Client,
  DeleteApiCommand,
  GetApiCommand,
  GetApisCommand,
  GetRoutesCommand,
  GetStagesCommand as GetV2StagesCommand,
} from "@aws-sdk/client-apigatewayv2";
import { VirtualClock } from "@cleanup-runner/core";
import apigateway from "@cleanup-runner/plugin-apigateway";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { EngineRun, manifestOf, outcomes } from "./harness.js";

const v1 = mockClient(APIGatewayClient);
const v2 = mockClient(ApiGatewayV2Client);
const notFound = () =>
  Object.assign(new Error("Invalid API identifier specified"), {
    name: "NotFoundException",
    $metadata: { httpStatusCode: 404 },
  });
const tooMany = () =>
  Object.assign(new Error("Too Many Requests"), {
    name: "TooManyRequestsException",
    $metadata: { httpStatusCode: 429 },
  });

function account(clock: VirtualClock, options: { throttleFirstDelete?: boolean } = {}) {
  const rest = new Map(["r1", "r2", "r3"].map((id) => [id, `student-api-${id}`]));
  const websockets = new Map([
    ["w1", "student-realtime"],
    ["w2", "StudentChatAPI"],
  ]);
  const restDeletes: number[] = [];
  const wsDeletes: number[] = [];
  let throttle = options.throttleFirstDelete ?? false;
  v1.on(GetRestApisCommand).callsFake(() => ({
    items: [...rest].map(([id, name]) => ({ id, name, createdDate: new Date(0) })),
  }));
  v1.on(GetStagesCommand).resolves({ item: [] });
  v1.on(GetUsagePlansCommand).resolves({ items: [] });
  v1.on(GetRestApiCommand).callsFake((input: { restApiId: string }) => {
    if (!rest.has(input.restApiId)) throw notFound();
    return { id: input.restApiId, name: rest.get(input.restApiId) };
  });
  v1.on(DeleteRestApiCommand).callsFake((input: { restApiId: string }) => {
    if (throttle) {
      throttle = false;
      throw tooMany();
    }
    restDeletes.push(clock.now());
    if (!rest.delete(input.restApiId)) throw notFound();
    return {};
  });
  v2.on(GetApisCommand).callsFake(() => ({
    Items: [...websockets].map(([ApiId, Name]) => ({
      ApiId,
      Name,
      ProtocolType: "WEBSOCKET",
      CreatedDate: new Date(0),
    })),
  }));
  v2.on(GetRoutesCommand).resolves({ Items: [] });
  v2.on(GetV2StagesCommand).resolves({ Items: [] });
  v2.on(GetApiCommand).callsFake((input: { ApiId: string }) => {
    if (!websockets.has(input.ApiId)) throw notFound();
    return { ApiId: input.ApiId, Name: websockets.get(input.ApiId), ProtocolType: "WEBSOCKET" };
  });
  v2.on(DeleteApiCommand).callsFake((input: { ApiId: string }) => {
    wsDeletes.push(clock.now());
    if (!websockets.delete(input.ApiId)) throw notFound();
    return {};
  });
  return { rest, websockets, restDeletes, wsDeletes };
}

const manifest = manifestOf([
  { type: "apigateway.rest-api", match: { prefix: "student-" } },
  { type: "apigateway.websocket-api", names: ["student-realtime", "StudentChatAPI"] },
]);

beforeEach(() => {
  v1.reset();
  v2.reset();
});

describe("DeleteRestApi pacing", () => {
  it("spaces REST API deletes 30 s apart while WebSocket APIs go at once, and says so in the plan", async () => {
    const clock = new VirtualClock(0);
    const state = account(clock);
    const engine = new EngineRun([apigateway], clock);
    const plan = await clock.run(engine.plan(manifest));
    expect(plan.paces).toEqual([{ budget: "apigateway:DeleteRestApi", resources: 3, minimumMs: 60_000 }]);
    const { reports } = await clock.run(engine.apply(plan));
    expect(Object.values(outcomes(reports))).toEqual(Array(5).fill("deleted"));
    const [a, b, c] = state.restDeletes;
    expect(b! - a!).toBeGreaterThanOrEqual(30_000);
    expect(c! - b!).toBeGreaterThanOrEqual(30_000);
    expect(c! - a!).toBeLessThan(65_000); // paced, not slower than it must be
    expect(Math.max(...state.wsDeletes)).toBeLessThan(a! + 5_000); // the other type did not wait
    expect(state.rest.size + state.websockets.size).toBe(0);
  });

  it("waits out a 429 on DeleteRestApi instead of failing", async () => {
    const clock = new VirtualClock(0);
    const state = account(clock, { throttleFirstDelete: true });
    const engine = new EngineRun([apigateway], clock);
    const { reports } = await clock.run(engine.apply(await clock.run(engine.plan(manifest))));
    expect(reports.filter((r) => r.type === "apigateway.rest-api").map((r) => r.outcome)).toEqual([
      "deleted",
      "deleted",
      "deleted",
    ]);
    expect(reports.some((r) => r.attempts > 1)).toBe(true);
    expect(state.rest.size).toBe(0);
  });
});
