import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from "@aws-sdk/client-apigatewayv2";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { startMoto, type Moto } from "@cleanup-runner/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { httpApi } from "./http-api.js";

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

describe("apigateway.http-api on moto", () => {
  it("finds HTTP APIs only, deletes one with its stage and routes, and leaves the decoy", async () => {
    const v2 = new ApiGatewayV2Client({
      region: "us-east-1",
      endpoint: moto.endpoint,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
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
    const ctx = testContext({ endpoint: moto.endpoint });

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
