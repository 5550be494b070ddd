import {
  ApiGatewayV2Client,
  DeleteApiCommand,
  GetApiCommand,
  GetApisCommand,
  NotFoundException,
} from "@aws-sdk/client-apigatewayv2";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { websocketApi } from "./websocket-api.js";

const v2 = mockClient(ApiGatewayV2Client);
const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

beforeEach(() => {
  v2.reset();
});

describe("apigateway.websocket-api", () => {
  it("discovers only WebSocket APIs, over every page", async () => {
    v2.on(GetApisCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === "t2"
        ? { Items: [{ ApiId: "w2", Name: "StudentChatAPI", ProtocolType: "WEBSOCKET" }] }
        : {
            Items: [
              { ApiId: "w1", Name: "student-realtime", ProtocolType: "WEBSOCKET" },
              { ApiId: "h1", Name: "other-project-http", ProtocolType: "HTTP" },
            ],
            NextToken: "t2",
          },
    );
    const found = await collect(websocketApi.discover(testContext(), {}));
    expect(found.map((f) => [f.id, f.name, f.arn])).toEqual([
      ["w1", "student-realtime", "arn:aws:apigateway:us-east-1::/apis/w1"],
      ["w2", "StudentChatAPI", "arn:aws:apigateway:us-east-1::/apis/w2"],
    ]);
  });

  it("deletes with DeleteApi and verifies with GetApi", async () => {
    const chat = { id: "w2", name: "StudentChatAPI" };
    v2.on(DeleteApiCommand).resolves({});
    v2.on(GetApiCommand).rejects(new NotFoundException({ message: "not found", ...meta(404) }));
    await websocketApi.delete(testContext(), chat);
    expect(v2).toHaveReceivedCommandWith(DeleteApiCommand, { ApiId: "w2" });
    expect(await websocketApi.verify(testContext(), chat)).toBe("gone");
  });
});
