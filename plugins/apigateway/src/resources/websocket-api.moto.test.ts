import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from "@aws-sdk/client-apigatewayv2";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { websocketApi } from "./websocket-api.js";

const moto = useMoto();

describe("apigateway.websocket-api on moto", () => {
  it("finds WebSocket APIs only, deletes the chat API with its stage and routes, and leaves the HTTP decoy", async () => {
    const v2 = moto.client(ApiGatewayV2Client);
    const websocket = { ProtocolType: "WEBSOCKET" as const, RouteSelectionExpression: "$request.body.action" };
    const chat = await v2.send(new CreateApiCommand({ Name: "StudentChatAPI", ...websocket }));
    await v2.send(new CreateStageCommand({ ApiId: chat.ApiId, StageName: "production" }));
    await v2.send(new CreateRouteCommand({ ApiId: chat.ApiId, RouteKey: "$connect" }));
    await v2.send(new CreateRouteCommand({ ApiId: chat.ApiId, RouteKey: "sendMessage" }));
    const realtime = await v2.send(new CreateApiCommand({ Name: "student-realtime", ...websocket }));
    const decoy = await v2.send(new CreateApiCommand({ Name: "other-project-http", ProtocolType: "HTTP" }));
    const ctx = moto.context();

    const found = await collect(websocketApi.discover(ctx, {}));
    expect(found.map((f) => f.name).sort()).toEqual(["StudentChatAPI", "student-realtime"]);

    const planned = await websocketApi.describe!(
      ctx,
      found.find((f) => f.id === chat.ApiId)!,
    );
    expect(planned.children).toEqual([
      { kind: "stages", count: 1, note: "production" },
      { kind: "routes", count: 2 },
    ]);
    await websocketApi.delete(ctx, planned);
    expect(await websocketApi.verify(ctx, planned)).toBe("gone");
    expect(await websocketApi.verify(ctx, { id: realtime.ApiId!, name: "student-realtime" })).toBe("present");
    expect(await websocketApi.verify(ctx, { id: decoy.ApiId!, name: "other-project-http" })).toBe("present");
  });
});
