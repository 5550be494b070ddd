import {
  GetFunctionUrlConfigCommand,
  LambdaClient,
  ListFunctionUrlConfigsCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
} from "@aws-sdk/client-lambda";
import { ThrottledError } from "@cleanup-runner/plugin-kit";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { functionUrls } from "./function-urls.js";

const lambda = mockClient(LambdaClient);
const notFound = () =>
  new ResourceNotFoundException({ message: "Function not found", $metadata: { httpStatusCode: 404 } });
/** What the SDK throws when an endpoint answers an operation it lacks with a web page. */
const noSuchRoute = () =>
  Object.assign(new SyntaxError("Unexpected token '<', \"<!doctype \"... is not valid JSON"), {
    $metadata: { httpStatusCode: 404 },
  });
const config = (qualifier: string) => ({
  FunctionUrl: `https://${qualifier}.lambda-url.us-east-1.on.aws/`,
  FunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:fn:${qualifier}`,
  AuthType: "NONE" as const,
  CreationTime: "2026-01-01T00:00:00Z",
  LastModifiedTime: "2026-01-01T00:00:00Z",
});

beforeEach(() => lambda.reset());

describe("functionUrls", () => {
  it("without aliases, one GetFunctionUrlConfig", async () => {
    lambda.on(GetFunctionUrlConfigCommand).resolves({ FunctionUrl: "https://x.lambda-url.us-east-1.on.aws/" });
    await expect(functionUrls(new LambdaClient({}), "fn", [])).resolves.toEqual([
      "https://x.lambda-url.us-east-1.on.aws/",
    ]);
    expect(lambda.calls()).toHaveLength(1);
  });

  it("with aliases, one listing of every page for all qualifiers, and no Get", async () => {
    lambda
      .on(ListFunctionUrlConfigsCommand)
      .callsFake((input: { Marker?: string }) =>
        input.Marker === "m2"
          ? { FunctionUrlConfigs: [config("beta")] }
          : { FunctionUrlConfigs: [config("live")], NextMarker: "m2" },
      );
    const urls = await functionUrls(new LambdaClient({}), "fn", ["live", "beta", "old"]);
    expect(urls).toEqual(["https://live.lambda-url.us-east-1.on.aws/", "https://beta.lambda-url.us-east-1.on.aws/"]);
    expect(lambda).toHaveReceivedCommandWith(ListFunctionUrlConfigsCommand, { FunctionName: "fn", MaxItems: 50 });
    expect(lambda).toHaveReceivedCommandTimes(ListFunctionUrlConfigsCommand, 2);
    expect(lambda).not.toHaveReceivedCommand(GetFunctionUrlConfigCommand);
  });

  it("where the endpoint lacks the listing: a Get per qualifier, and the listing is not tried again", async () => {
    lambda.on(ListFunctionUrlConfigsCommand).rejects(noSuchRoute());
    lambda.on(GetFunctionUrlConfigCommand).rejects(notFound());
    lambda.on(GetFunctionUrlConfigCommand, { FunctionName: "fn", Qualifier: "live" }).resolves(config("live"));
    const client = new LambdaClient({});
    await expect(functionUrls(client, "fn", ["live"])).resolves.toEqual(["https://live.lambda-url.us-east-1.on.aws/"]);
    await expect(functionUrls(client, "other", ["live"])).resolves.toEqual([]);
    expect(lambda).toHaveReceivedCommandTimes(ListFunctionUrlConfigsCommand, 1);
    expect(lambda).toHaveReceivedCommandTimes(GetFunctionUrlConfigCommand, 4);
  });

  it("a function gone meanwhile has none; other errors are classified", async () => {
    lambda.on(ListFunctionUrlConfigsCommand, { FunctionName: "gone" }).rejects(notFound());
    lambda
      .on(ListFunctionUrlConfigsCommand, { FunctionName: "busy" })
      .rejects(new TooManyRequestsException({ message: "Rate exceeded", $metadata: { httpStatusCode: 429 } }));
    const client = new LambdaClient({});
    await expect(functionUrls(client, "gone", ["live"])).resolves.toEqual([]);
    await expect(functionUrls(client, "busy", ["live"])).rejects.toBeInstanceOf(ThrottledError);
    expect(lambda).not.toHaveReceivedCommand(GetFunctionUrlConfigCommand);
  });
});
