import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from "@aws-sdk/client-apigatewayv2";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { httpApi } from "./http-api.js";

const moto = useMoto();

describe("apigateway.http-api on moto", () => {
  it("finds HTTP APIs only, deletes one with its stage and routes, and leaves the decoy", async () => {
    const v2 = moto.client(ApiGatewayV2Client);
    const target = await v2.send(
      new CreateApiCommand({ Name: "student-http", ProtocolType: "HTTP", Tags: { app: "students" } }),
    );
    await v2.send(new CreateStageCommand({ ApiId: target.ApiId, StageName: "prod" }));
    await v2.send(new CreateRouteCommand({ ApiId: target.ApiId, RouteKey: "GET /students" }));
    const decoy = await v2.send(new CreateApiCommand({ Name: "other-project-http", ProtocolType: "HTTP" }));
    await v2.send(
      new CreateApiCommand({
        Name: "student-realtime",
        ProtocolType: "WEBSOCKET",
        RouteSelectionExpression: "$request.body.action",
      }),
    );
    const ctx = moto.context();

    const found = await collect(httpApi.discover(ctx, {}));
    expect(found.map((f) => f.name).sort()).toEqual(["other-project-http", "student-http"]);
    const student = found.find((f) => f.name === "student-http")!;
    expect(student.tags).toEqual({ app: "students" });

    const planned = await httpApi.describe!(ctx, student);
    expect(planned.children).toEqual([
      { kind: "stages", count: 1, note: "prod" },
      { kind: "routes", count: 1 },
    ]);
    await httpApi.delete(ctx, planned);
    expect(await httpApi.verify(ctx, planned)).toBe("gone");
    expect(await httpApi.verify(ctx, { id: decoy.ApiId!, name: "other-project-http" })).toBe("present");
  });
});
