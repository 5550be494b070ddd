import {
  ApiGatewayV2Client,
  BadRequestException,
  DeleteApiCommand,
  GetApiCommand,
  GetApisCommand,
  GetRoutesCommand,
  GetStagesCommand,
  NotFoundException,
  TooManyRequestsException,
} from "@aws-sdk/client-apigatewayv2";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { httpApi } from "./http-api.js";

const v2 = mockClient(ApiGatewayV2Client);
const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const chat = { id: "h77", name: "student-http" };

beforeEach(() => {
  v2.reset();
});

describe("apigateway.http-api discover", () => {
  it("follows NextToken by hand and yields only HTTP APIs, with arn, tags and creation date", async () => {
    v2.on(GetApisCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === "t2"
        ? {
            Items: [
              { ApiId: "w1", Name: "student-realtime", ProtocolType: "WEBSOCKET" },
              { ApiId: "h2", Name: "other-project-http", ProtocolType: "HTTP" },
            ],
          }
        : {
            Items: [
              {
                ApiId: "h77",
                Name: "student-http",
                ProtocolType: "HTTP",
                CreatedDate: new Date("2024-05-02T08:00:00Z"),
                Tags: { app: "students" },
              },
            ],
            NextToken: "t2",
          },
    );
    const found = await collect(httpApi.discover(testContext({ region: "eu-west-1" }), {}));
    expect(found).toEqual([
      {
        id: "h77",
        name: "student-http",
        arn: "arn:aws:apigateway:eu-west-1::/apis/h77",
        tags: { app: "students" },
        createdAt: "2024-05-02T08:00:00.000Z",
        details: { protocol: "HTTP", apiGatewayManaged: false },
      },
      {
        id: "h2",
        name: "other-project-http",
        arn: "arn:aws:apigateway:eu-west-1::/apis/h2",
        tags: {},
        details: { protocol: "HTTP", apiGatewayManaged: false },
      },
    ]);
    expect(v2).toHaveReceivedCommandTimes(GetApisCommand, 2);
    expect(v2).toHaveReceivedNthCommandWith(GetApisCommand, 2, { NextToken: "t2" });
  });

  it("waits for custom domains to go first (their API mappings block DeleteApi)", () => {
    expect(httpApi.dependsOn).toEqual(["apigateway.domain-name"]);
  });
});

describe("apigateway.http-api describe", () => {
  it("counts stages (named) and routes over every page", async () => {
    v2.on(GetStagesCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken ? { Items: [{ StageName: "prod" }] } : { Items: [{ StageName: "$default" }], NextToken: "s2" },
    );
    v2.on(GetRoutesCommand).resolves({ Items: [{ RouteKey: "GET /students" }, { RouteKey: "POST /students" }] });
    const described = await httpApi.describe!(testContext(), chat);
    expect(described.children).toEqual([
      { kind: "stages", count: 2, note: "$default, prod" },
      { kind: "routes", count: 2 },
    ]);
    expect(v2).toHaveReceivedCommandWith(GetRoutesCommand, { ApiId: "h77" });
  });
});

describe("apigateway.http-api protection", () => {
  it("never plans an API that API Gateway manages for another service", () => {
    expect(httpApi.protectedReason!({ ...chat, details: { apiGatewayManaged: true } })).toMatch(/ApiGatewayManaged/);
    expect(httpApi.protectedReason!({ ...chat, details: { apiGatewayManaged: false } })).toBeUndefined();
  });
});

describe("apigateway.http-api delete", () => {
  it("deletes with one DeleteApi, and a second run reports NotFound", async () => {
    v2.on(DeleteApiCommand)
      .resolvesOnce({})
      .rejects(new NotFoundException({ message: "Invalid API identifier specified h77", ...meta(404) }));
    await httpApi.delete(testContext(), chat);
    expect(v2).toHaveReceivedCommandExactlyOnceWith(DeleteApiCommand, { ApiId: "h77" });
    await expect(httpApi.delete(testContext(), chat)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("classifies a 429 as throttled", async () => {
    v2.on(DeleteApiCommand).rejects(new TooManyRequestsException({ message: "Too Many Requests", ...meta(429) }));
    await expect(httpApi.delete(testContext(), chat)).rejects.toMatchObject({ kind: "throttled" });
  });

  it("fails with what to do while a custom domain maps the API", async () => {
    v2.on(DeleteApiCommand).rejects(
      new BadRequestException({
        message: "Deleting API h77 failed. Please remove all API mappings for the API from your custom domain names.",
        ...meta(400),
      }),
    );
    await expect(httpApi.delete(testContext(), chat)).rejects.toMatchObject({
      kind: "fatal",
      message: expect.stringContaining("apigateway.domain-name"),
    });
  });
});

describe("apigateway.http-api verify", () => {
  it("is present while GetApi answers and gone on NotFound", async () => {
    v2.on(GetApiCommand)
      .resolvesOnce({ ApiId: "h77" })
      .rejects(new NotFoundException({ message: "not found", ...meta(404) }));
    expect(await httpApi.verify(testContext(), chat)).toBe("present");
    expect(await httpApi.verify(testContext(), chat)).toBe("gone");
  });
});
