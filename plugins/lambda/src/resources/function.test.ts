import {
  DeleteEventSourceMappingCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand,
  InvalidParameterValueException,
  LambdaClient,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  ResourceConflictException,
  ResourceInUseException,
  ResourceNotFoundException,
  TooManyRequestsException,
  type EventSourceMappingConfiguration,
} from "@aws-sdk/client-lambda";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import type { Found, Static } from "@cleanup-runner/plugin-kit";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { deleteListingMaxAgeMs } from "../event-source-mappings.js";
import { lambdaFunction } from "./function.js";

const lambda = mockClient(LambdaClient);
const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
type Options = Static<NonNullable<typeof lambdaFunction.options>>;
const ctx = (options: Partial<Options> = {}) => testContext<Options>({ resource: lambdaFunction, options });

// The errors Lambda answers with, as the SDK builds them.
const notFound = () =>
  new ResourceNotFoundException({ message: "Function not found", $metadata: { httpStatusCode: 404 } });
const throttled = () => new TooManyRequestsException({ message: "Rate exceeded", $metadata: { httpStatusCode: 429 } });

const found = (name: string, details: Record<string, unknown> = {}): Found => ({
  id: name,
  name,
  arn: arn(name),
  details: { logGroup: `/aws/lambda/${name}`, ...details },
});

/** A function with nothing but $LATEST: no versions, aliases, URL or mappings. */
function plainFunction(): void {
  lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [{ Version: "$LATEST" }] });
  lambda.on(ListAliasesCommand).resolves({ Aliases: [] });
  lambda.on(GetFunctionUrlConfigCommand).rejects(notFound());
  lambda.on(ListEventSourceMappingsCommand).resolves({ EventSourceMappings: [] });
}

const mapping = (uuid: string, functionArn: string, extra: Partial<EventSourceMappingConfiguration> = {}) => ({
  UUID: uuid,
  FunctionArn: functionArn,
  EventSourceArn: `arn:aws:sqs:us-east-1:123456789012:${uuid}-queue`,
  State: "Enabled",
  ...extra,
});

beforeEach(() => {
  lambda.reset();
});

describe("lambda.function discover", () => {
  it("follows NextMarker to the last page and yields what the engine needs", async () => {
    const pages: Record<string, { Functions: object[]; NextMarker?: string }> = {
      first: {
        Functions: [
          {
            FunctionName: "student-auth-handler",
            FunctionArn: arn("student-auth-handler"),
            LastModified: "2024-05-01T10:00:00.000+0000",
            Runtime: "nodejs20.x",
            CodeSize: 1234,
            LoggingConfig: { LogFormat: "Text", LogGroup: "/aws/lambda/student-auth-handler" },
          },
        ],
        NextMarker: "m2",
      },
      m2: {
        Functions: [{ FunctionName: "student-students-api", FunctionArn: arn("student-students-api") }],
        NextMarker: "m3",
      },
      m3: {
        Functions: [{ FunctionName: "other-project-fn", FunctionArn: arn("other-project-fn"), PackageType: "Image" }],
      },
    };
    lambda.on(ListFunctionsCommand).callsFake((input: { Marker?: string }) => pages[input.Marker ?? "first"]);

    const all = await collect(lambdaFunction.discover(ctx(), { prefix: "student-" }));

    expect(all.map((f) => f.name)).toEqual(["student-auth-handler", "student-students-api", "other-project-fn"]);
    expect(all[0]).toEqual({
      id: "student-auth-handler",
      name: "student-auth-handler",
      arn: arn("student-auth-handler"),
      createdAt: "2024-05-01T10:00:00.000Z",
      details: {
        logGroup: "/aws/lambda/student-auth-handler",
        runtime: "nodejs20.x",
        codeSize: 1234,
        lastModified: "2024-05-01T10:00:00.000+0000",
      },
    });
    // No tags in ListFunctions: the engine asks readTags when a selector needs them.
    expect(all[0]?.tags).toBeUndefined();
    expect(all[1]?.details?.logGroup).toBe("/aws/lambda/student-students-api");
    expect(all[2]?.details?.runtime).toBe("Image");
    expect(lambda).toHaveReceivedCommandTimes(ListFunctionsCommand, 3);
    expect(lambda).toHaveReceivedNthCommandWith(ListFunctionsCommand, 1, { MaxItems: 50 });
    expect(lambda).toHaveReceivedNthCommandWith(ListFunctionsCommand, 3, { Marker: "m3" });
  });

  it("reads tags with ListTags on the function ARN", async () => {
    lambda.on(ListTagsCommand, { Resource: arn("student-admin-api") }).resolves({ Tags: { workshop: "student" } });
    await expect(lambdaFunction.readTags!(ctx(), found("student-admin-api"))).resolves.toEqual({ workshop: "student" });
  });
});

describe("lambda.function describe", () => {
  it("plans the log group after the function and the event source mappings with it", async () => {
    plainFunction();
    lambda.on(ListEventSourceMappingsCommand).resolves({
      EventSourceMappings: [
        mapping("esm-1", arn("student-event-processor")),
        // On its way out already: shown, but not recorded for delete.
        mapping("esm-2", arn("student-event-processor"), { State: "Deleting" }),
        mapping("theirs", arn("other-project-fn")),
      ],
    });

    const planned = await lambdaFunction.describe!(ctx(), found("student-event-processor"));

    expect(planned.companions).toEqual([
      {
        type: "logs.log-group",
        names: ["/aws/lambda/student-event-processor"],
        order: "after",
        reason: "the function's log group",
      },
    ]);
    expect(planned.children).toEqual([
      { kind: "event source mappings", count: 2, note: "sqs esm-1-queue, sqs esm-2-queue" },
    ]);
    expect(planned.notes).toEqual([]);
    expect(planned.details).toEqual({
      logGroup: "/aws/lambda/student-event-processor",
      qualifiers: [],
      regionMappings: 3,
      eventSourceMappings: ["esm-1"],
    });
    // The region's mappings, in one unfiltered listing: no FunctionName, which would list one function's only.
    expect(lambda.commandCalls(ListEventSourceMappingsCommand).map((c) => c.args[0].input)).toEqual([
      { MaxItems: 100 },
    ]);
    // Without published versions there can be no provisioned concurrency: not asked.
    expect(lambda).not.toHaveReceivedCommand(ListProvisionedConcurrencyConfigsCommand);
    // Only $LATEST has a URL to look up.
    expect(lambda).toHaveReceivedCommandExactlyOnceWith(GetFunctionUrlConfigCommand, {
      FunctionName: "student-event-processor",
    });
  });

  it("shows versions, aliases, URLs, provisioned concurrency and the mappings of every qualifier", async () => {
    const name = "student-students-api";
    lambda
      .on(ListVersionsByFunctionCommand)
      .callsFake((input: { Marker?: string }) =>
        input.Marker === "v2"
          ? { Versions: [{ Version: "2" }] }
          : { Versions: [{ Version: "$LATEST" }, { Version: "1" }], NextMarker: "v2" },
      );
    lambda.on(ListAliasesCommand).resolves({ Aliases: [{ Name: "live", FunctionVersion: "2" }] });
    // With an alias, one listing answers for every qualifier's URL.
    lambda.on(ListFunctionUrlConfigsCommand, { FunctionName: name }).resolves({
      FunctionUrlConfigs: [
        {
          FunctionUrl: "https://abc.lambda-url.us-east-1.on.aws/",
          FunctionArn: `${arn(name)}:live`,
          AuthType: "NONE",
          CreationTime: "2026-01-01T00:00:00Z",
          LastModifiedTime: "2026-01-01T00:00:00Z",
        },
      ],
    });
    lambda.on(ListProvisionedConcurrencyConfigsCommand).resolves({
      ProvisionedConcurrencyConfigs: [
        { FunctionArn: `${arn(name)}:live`, AllocatedProvisionedConcurrentExecutions: 5 },
      ],
    });
    // With qualifiers, one unfiltered listing (paged) matched on the ARN.
    lambda.on(ListEventSourceMappingsCommand).callsFake((input: { Marker?: string; FunctionName?: string }) => {
      if (input.FunctionName) throw new Error("a qualified function must not be filtered by name");
      return input.Marker === "e2"
        ? { EventSourceMappings: [mapping("on-version", `${arn(name)}:1`)] }
        : {
            EventSourceMappings: [
              mapping("on-alias", `${arn(name)}:live`),
              mapping("other-fn", arn(`${name}-v2`)),
              mapping("unqualified", arn(name)),
            ],
            NextMarker: "e2",
          };
    });

    const planned = await lambdaFunction.describe!(ctx(), found(name));

    expect(planned.children).toEqual([
      { kind: "published versions", count: 2, note: "1, 2" },
      { kind: "aliases", count: 1, note: "live" },
      { kind: "function URLs", count: 1, note: "https://abc.lambda-url.us-east-1.on.aws/" },
      { kind: "provisioned concurrency configs", count: 1, note: "live: 5 executions" },
      {
        kind: "event source mappings",
        count: 3,
        note: "sqs on-alias-queue, sqs unqualified-queue, sqs on-version-queue",
      },
    ]);
    expect(planned.details).toMatchObject({
      qualifiers: ["live", "1", "2"],
      regionMappings: 4,
      eventSourceMappings: ["on-alias", "unqualified", "on-version"],
    });
    expect(lambda).toHaveReceivedCommandWith(ListEventSourceMappingsCommand, { Marker: "e2", MaxItems: 100 });
    expect(lambda).not.toHaveReceivedCommand(GetFunctionUrlConfigCommand);
  });

  it("lists the region's mappings once per run for all the functions, and delete uses the plan's", async () => {
    lambda.on(ListVersionsByFunctionCommand).callsFake((input: { FunctionName?: string }) => ({
      Versions: input.FunctionName === "b" ? [{ Version: "$LATEST" }, { Version: "1" }] : [{ Version: "$LATEST" }],
    }));
    lambda.on(ListAliasesCommand).resolves({ Aliases: [] });
    lambda.on(GetFunctionUrlConfigCommand).rejects(notFound());
    lambda.on(ListProvisionedConcurrencyConfigsCommand).resolves({ ProvisionedConcurrencyConfigs: [] });
    lambda.on(DeleteEventSourceMappingCommand).resolves({});
    lambda.on(DeleteFunctionCommand).resolves({});
    lambda.on(ListEventSourceMappingsCommand).callsFake((input: { Marker?: string }) =>
      input.Marker === "e2"
        ? { EventSourceMappings: [mapping("b-on-version", `${arn("b")}:1`)] }
        : {
            EventSourceMappings: [mapping("a-unqualified", arn("a")), mapping("not-ours", arn("a-v2"))],
            NextMarker: "e2",
          },
    );
    const run = ctx();

    const [a, b] = await Promise.all([
      lambdaFunction.describe!(run, found("a")),
      lambdaFunction.describe!(run, found("b")),
    ]);

    expect(a.children).toContainEqual({ kind: "event source mappings", count: 1, note: "sqs a-unqualified-queue" });
    expect(b.children).toContainEqual({ kind: "event source mappings", count: 1, note: "sqs b-on-version-queue" });
    // Two pages, read once for both functions, with or without qualifiers.
    expect(lambda).toHaveReceivedCommandTimes(ListEventSourceMappingsCommand, 2);
    expect(lambda).not.toHaveReceivedCommandWith(ListEventSourceMappingsCommand, { FunctionName: "a" });

    // Delete deletes what the plan recorded, checked against a fresh region-wide listing (two pages).
    await lambdaFunction.delete(run, b);
    expect(lambda).toHaveReceivedCommandTimes(ListEventSourceMappingsCommand, 4);
    expect(lambda).toHaveReceivedCommandExactlyOnceWith(DeleteEventSourceMappingCommand, { UUID: "b-on-version" });
    // Another run (a new client) lists again.
    await lambdaFunction.describe!(ctx(), found("a"));
    expect(lambda).toHaveReceivedCommandTimes(ListEventSourceMappingsCommand, 6);
  });

  it("lists the mappings again after a failed listing instead of keeping the failure", async () => {
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [{ Version: "$LATEST" }, { Version: "1" }] });
    lambda.on(ListAliasesCommand).resolves({ Aliases: [] });
    lambda.on(GetFunctionUrlConfigCommand).rejects(notFound());
    lambda.on(ListProvisionedConcurrencyConfigsCommand).resolves({ ProvisionedConcurrencyConfigs: [] });
    lambda.on(ListEventSourceMappingsCommand).callsFake(() => Promise.reject(throttled()));
    const run = ctx();

    await expect(lambdaFunction.describe!(run, found("a"))).rejects.toMatchObject({ kind: "throttled" });
    lambda.on(ListEventSourceMappingsCommand).resolves({ EventSourceMappings: [mapping("esm-1", `${arn("a")}:1`)] });
    const planned = await lambdaFunction.describe!(run, found("a"));

    expect(planned.children).toContainEqual({ kind: "event source mappings", count: 1, note: "sqs esm-1-queue" });
  });

  it("says what stays behind when the options keep mappings and the log group", async () => {
    plainFunction();
    lambda
      .on(ListEventSourceMappingsCommand)
      .resolves({ EventSourceMappings: [mapping("esm-1", arn("student-event-processor"))] });

    const planned = await lambdaFunction.describe!(
      ctx({ deleteLogGroup: false, deleteEventSourceMappings: false }),
      found("student-event-processor"),
    );

    expect(planned.companions).toEqual([]);
    expect(planned.children).toEqual([]);
    expect(planned.notes).toEqual([
      "1 event source mapping(s) stay behind, still pointing at the deleted function " +
        "(deleteEventSourceMappings is false): sqs esm-1-queue",
      "its log group /aws/lambda/student-event-processor stays (deleteLogGroup is false)",
    ]);
  });

  it("names a custom log group but never plans it", async () => {
    plainFunction();
    const planned = await lambdaFunction.describe!(
      ctx(),
      found("student-admin-api", { logGroup: "/shared/student-logs" }),
    );
    expect(planned.companions?.[0]?.names).toEqual(["/aws/lambda/student-admin-api"]);
    expect(planned.notes).toEqual([
      "it writes its logs to /shared/student-logs, which other functions may share: not planned with it; " +
        "select it with a logs.log-group entry to delete it",
    ]);
  });

  it("classifies a throttled read", async () => {
    lambda.on(ListVersionsByFunctionCommand).rejects(throttled());
    await expect(lambdaFunction.describe!(ctx(), found("student-admin-api"))).rejects.toMatchObject({
      kind: "throttled",
    });
  });
});

describe("lambda.function delete", () => {
  it("deletes the event source mappings the plan recorded that still invoke it, then the function", async () => {
    const name = "student-event-processor";
    lambda.on(ListEventSourceMappingsCommand).resolves({
      EventSourceMappings: [
        mapping("esm-1", arn(name)),
        mapping("esm-2", arn("other-fn")),
        mapping("esm-3", arn(name)),
      ],
    });
    lambda.on(DeleteEventSourceMappingCommand).resolves({ State: "Deleting" });
    lambda.on(DeleteFunctionCommand).resolves({});
    const context = ctx();

    await lambdaFunction.delete(context, found(name, { qualifiers: [], eventSourceMappings: ["esm-1", "esm-3"] }));

    // One region-wide listing says which planned mappings still invoke this function.
    expect(lambda.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "ListEventSourceMappingsCommand",
      "DeleteEventSourceMappingCommand",
      "DeleteEventSourceMappingCommand",
      "DeleteFunctionCommand",
    ]);
    expect(lambda.commandCalls(DeleteEventSourceMappingCommand).map((c) => c.args[0].input.UUID)).toEqual([
      "esm-1",
      "esm-3",
    ]);
    expect(lambda).not.toHaveReceivedCommandWith(ListEventSourceMappingsCommand, { FunctionName: name });
    expect(context.progressMessages).toEqual(["deleting 2 event source mapping(s)"]);
  });

  it("the deletes of a run share one region-wide listing for 15 s, then list again", async () => {
    lambda.on(ListEventSourceMappingsCommand).resolves({
      EventSourceMappings: [mapping("a-1", arn("fn-a")), mapping("b-1", arn("fn-b")), mapping("c-1", arn("fn-c"))],
    });
    lambda.on(DeleteEventSourceMappingCommand).resolves({ State: "Deleting" });
    lambda.on(DeleteFunctionCommand).resolves({});
    const run = ctx();

    await lambdaFunction.delete(run, found("fn-a", { qualifiers: [], eventSourceMappings: ["a-1"] }));
    await lambdaFunction.delete(run, found("fn-b", { qualifiers: [], eventSourceMappings: ["b-1"] }));
    expect(lambda).toHaveReceivedCommandTimes(ListEventSourceMappingsCommand, 1);
    await run.sleep(deleteListingMaxAgeMs + 1);
    await lambdaFunction.delete(run, found("fn-c", { qualifiers: [], eventSourceMappings: ["c-1"] }));
    expect(lambda).toHaveReceivedCommandTimes(ListEventSourceMappingsCommand, 2);
    expect(lambda.commandCalls(DeleteEventSourceMappingCommand).map((c) => c.args[0].input.UUID)).toEqual([
      "a-1",
      "b-1",
      "c-1",
    ]);
  });

  it("on a retry, goes on where it stopped: a mapping whose delete it requested is not asked for again", async () => {
    const name = "student-event-processor";
    lambda.on(ListEventSourceMappingsCommand).resolves({
      EventSourceMappings: [mapping("esm-1", arn(name)), mapping("esm-2", arn(name))],
    });
    lambda
      .on(DeleteEventSourceMappingCommand)
      .resolvesOnce({ State: "Deleting" })
      .rejectsOnce(throttled())
      .resolves({ State: "Deleting" });
    lambda.on(DeleteFunctionCommand).rejectsOnce(throttled()).resolves({});
    const run = ctx();
    const planned = found(name, { qualifiers: [], eventSourceMappings: ["esm-1", "esm-2"] });

    // Throttled at the second mapping, then at DeleteFunction; the listing shared by the run still shows both Enabled.
    await expect(lambdaFunction.delete(run, planned)).rejects.toMatchObject({ kind: "throttled" });
    await expect(lambdaFunction.delete(run, planned)).rejects.toMatchObject({ kind: "throttled" });
    await lambdaFunction.delete(run, planned);

    expect(lambda).toHaveReceivedCommandTimes(ListEventSourceMappingsCommand, 1);
    expect(lambda.commandCalls(DeleteEventSourceMappingCommand).map((c) => c.args[0].input.UUID)).toEqual([
      "esm-1",
      "esm-2",
      "esm-2",
    ]);
    expect(lambda).toHaveReceivedCommandTimes(DeleteFunctionCommand, 2);
    expect(run.progressMessages).toEqual(["deleting 1 event source mapping(s)"]);
  });

  it("leaves a mapping made after the plan: with none planned, it deletes the function alone", async () => {
    lambda.on(DeleteFunctionCommand).resolves({});

    await lambdaFunction.delete(ctx(), found("student-admin-api", { qualifiers: [], eventSourceMappings: [] }));

    expect(lambda).not.toHaveReceivedCommand(ListEventSourceMappingsCommand);
    expect(lambda).not.toHaveReceivedCommand(DeleteEventSourceMappingCommand);
    expect(lambda).toHaveReceivedCommandTimes(DeleteFunctionCommand, 1);
  });

  it("leaves a planned mapping bound to another function since the plan, and one already gone", async () => {
    const name = "student-event-processor";
    // "gone" is no longer listed
    lambda.on(ListEventSourceMappingsCommand).resolves({
      EventSourceMappings: [mapping("moved", arn("other-project-fn")), mapping("on-alias", `${arn(name)}:live`)],
    });
    lambda.on(DeleteEventSourceMappingCommand).resolves({ State: "Deleting" });
    lambda.on(DeleteFunctionCommand).resolves({});

    await lambdaFunction.delete(
      ctx(),
      found(name, { qualifiers: ["live"], eventSourceMappings: ["moved", "on-alias", "gone"] }),
    );

    expect(lambda.commandCalls(DeleteEventSourceMappingCommand).map((c) => c.args[0].input.UUID)).toEqual(["on-alias"]);
    expect(lambda).toHaveReceivedCommandTimes(DeleteFunctionCommand, 1);
  });

  it("lists the mappings when the plan did not record them (an older plan file), then deletes", async () => {
    const name = "student-event-processor";
    lambda.on(ListEventSourceMappingsCommand, { FunctionName: name }).resolves({
      EventSourceMappings: [
        mapping("esm-1", arn(name)),
        // Already on its way out (a previous attempt): left to finish.
        mapping("esm-2", arn(name), { State: "Deleting" }),
      ],
    });
    lambda.on(DeleteEventSourceMappingCommand).resolves({ State: "Deleting" });
    lambda.on(DeleteFunctionCommand).resolves({});
    const context = ctx();

    await lambdaFunction.delete(context, found(name, { qualifiers: [] }));

    expect(lambda.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "ListEventSourceMappingsCommand",
      "DeleteEventSourceMappingCommand",
      "DeleteFunctionCommand",
    ]);
    expect(lambda).toHaveReceivedCommandExactlyOnceWith(DeleteEventSourceMappingCommand, { UUID: "esm-1" });
    expect(lambda).toHaveReceivedCommandWith(DeleteFunctionCommand, { FunctionName: name });
    expect(context.progressMessages).toEqual(["deleting 1 event source mapping(s)"]);
  });

  it("lists the mappings per qualifier when that takes fewer calls than the region's pages", async () => {
    const name = "student-students-api";
    const pages = new Map<string, unknown[]>([
      [arn(name), [mapping("unqualified", arn(name))]],
      [`${arn(name)}:live`, [mapping("on-alias", `${arn(name)}:live`)]],
      [`${arn(name)}:1`, []],
    ]);
    lambda.on(ListEventSourceMappingsCommand).callsFake((input: { FunctionName?: string }) => {
      const answer = input.FunctionName === undefined ? undefined : pages.get(input.FunctionName);
      if (!answer) throw new Error(`unexpected listing ${JSON.stringify(input)}`);
      return { EventSourceMappings: answer };
    });
    lambda.on(DeleteEventSourceMappingCommand).resolves({ State: "Deleting" });
    lambda.on(DeleteFunctionCommand).resolves({});

    // 3 filtered listings instead of the region's 5 pages (450 mappings).
    await lambdaFunction.delete(ctx(), found(name, { qualifiers: ["live", "1"], regionMappings: 450 }));

    expect(lambda).toHaveReceivedCommandTimes(ListEventSourceMappingsCommand, 3);
    expect(lambda.commandCalls(DeleteEventSourceMappingCommand).map((c) => c.args[0].input.UUID)).toEqual([
      "unqualified",
      "on-alias",
    ]);
  });

  it("lists the region once when its mappings fit in fewer pages than the qualifiers", async () => {
    const name = "student-students-api";
    lambda.on(ListEventSourceMappingsCommand).callsFake((input: { FunctionName?: string }) => {
      if (input.FunctionName) throw new Error("one page of the region is fewer calls than 3 filtered listings");
      return { EventSourceMappings: [mapping("on-alias", `${arn(name)}:live`), mapping("theirs", arn("other-fn"))] };
    });
    lambda.on(DeleteEventSourceMappingCommand).resolves({ State: "Deleting" });
    lambda.on(DeleteFunctionCommand).resolves({});

    await lambdaFunction.delete(ctx(), found(name, { qualifiers: ["live", "1"], regionMappings: 60 }));

    expect(lambda).toHaveReceivedCommandTimes(ListEventSourceMappingsCommand, 1);
    expect(lambda).toHaveReceivedCommandExactlyOnceWith(DeleteEventSourceMappingCommand, { UUID: "on-alias" });
  });

  it("lists every qualifier's mappings when describe did not say", async () => {
    const name = "student-auth-handler";
    lambda.on(ListEventSourceMappingsCommand).resolves({
      EventSourceMappings: [mapping("on-alias", `${arn(name)}:live`), mapping("someone-else", arn("other-project-fn"))],
    });
    lambda.on(DeleteEventSourceMappingCommand).resolves({ State: "Deleting" });
    lambda.on(DeleteFunctionCommand).resolves({});

    await lambdaFunction.delete(ctx(), { id: name, name, arn: arn(name) });

    expect(lambda).toHaveReceivedCommandWith(ListEventSourceMappingsCommand, {});
    expect(lambda).toHaveReceivedCommandTimes(DeleteEventSourceMappingCommand, 1);
    expect(lambda).toHaveReceivedCommandWith(DeleteEventSourceMappingCommand, { UUID: "on-alias" });
  });

  it("leaves the mappings alone when deleteEventSourceMappings is false", async () => {
    lambda.on(DeleteFunctionCommand).resolves({});
    await lambdaFunction.delete(ctx({ deleteEventSourceMappings: false }), found("student-admin-api"));
    expect(lambda).not.toHaveReceivedCommand(ListEventSourceMappingsCommand);
    expect(lambda).toHaveReceivedCommandTimes(DeleteFunctionCommand, 1);
  });

  it("is safe to run again: gone mappings are skipped and a gone function is NotFound", async () => {
    const name = "student-event-processor";
    // Listed while there, gone by its delete (another run took it meanwhile).
    lambda.on(ListEventSourceMappingsCommand).resolves({ EventSourceMappings: [mapping("esm-1", arn(name))] });
    lambda
      .on(DeleteEventSourceMappingCommand)
      .rejects(new ResourceNotFoundException({ message: "not found", $metadata: { httpStatusCode: 404 } }));
    lambda.on(DeleteFunctionCommand).rejects(notFound());

    await expect(
      lambdaFunction.delete(ctx(), found(name, { qualifiers: [], eventSourceMappings: ["esm-1"] })),
    ).rejects.toMatchObject({ kind: "not-found" });
    expect(lambda).toHaveReceivedCommandExactlyOnceWith(DeleteEventSourceMappingCommand, { UUID: "esm-1" });
    expect(lambda).toHaveReceivedCommandTimes(DeleteFunctionCommand, 1);
  });

  it("retries later when Lambda throttles or the function is being updated", async () => {
    lambda.on(DeleteFunctionCommand).rejectsOnce(throttled());
    await expect(
      lambdaFunction.delete(ctx({ deleteEventSourceMappings: false }), found("student-admin-api")),
    ).rejects.toMatchObject({ kind: "throttled", retryable: true });

    lambda.reset();
    lambda.on(DeleteFunctionCommand).rejects(
      new ResourceConflictException({
        message: "The operation cannot be performed at this time. An update is in progress for resource",
        $metadata: { httpStatusCode: 409 },
      }),
    );
    await expect(
      lambdaFunction.delete(ctx({ deleteEventSourceMappings: false }), found("student-admin-api")),
    ).rejects.toMatchObject({ kind: "dependency-pending", retryable: true });
  });

  it("does not delete the function while a mapping cannot be deleted yet", async () => {
    const name = "student-event-processor";
    lambda
      .on(ListEventSourceMappingsCommand)
      .resolves({ EventSourceMappings: [mapping("esm-1", arn(name), { State: "Creating" })] });
    lambda.on(DeleteEventSourceMappingCommand).rejects(
      new ResourceInUseException({
        message: "Cannot delete the event source mapping because it is in use.",
        $metadata: { httpStatusCode: 400 },
      }),
    );

    await expect(
      lambdaFunction.delete(ctx(), found(name, { qualifiers: [], eventSourceMappings: ["esm-1"] })),
    ).rejects.toMatchObject({ kind: "dependency-pending" });
    expect(lambda).not.toHaveReceivedCommand(DeleteFunctionCommand);
  });

  it("fails a replicated Lambda@Edge function with what to do", async () => {
    lambda.on(DeleteFunctionCommand).rejects(
      new InvalidParameterValueException({
        message:
          "Lambda was unable to delete arn:aws:lambda:us-east-1:123456789012:function:edge:1 because it is a " +
          "replicated function. Please see our documentation for Deleting Lambda@Edge Functions and Replicas.",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const error = await lambdaFunction
      .delete(ctx({ deleteEventSourceMappings: false }), found("edge"))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "fatal" });
    expect((error as Error).message).toContain("Lambda@Edge");
  });
});

describe("lambda.function verify", () => {
  it("is present while GetFunction answers and gone on ResourceNotFound", async () => {
    lambda
      .on(GetFunctionCommand)
      .resolvesOnce({ Configuration: { FunctionName: "f" } })
      .rejects(notFound());
    await expect(lambdaFunction.verify(ctx(), found("f"))).resolves.toBe("present");
    await expect(lambdaFunction.verify(ctx(), found("f"))).resolves.toBe("gone");
  });

  it("throws a classified error when it cannot tell", async () => {
    lambda.on(GetFunctionCommand).rejects(throttled());
    await expect(lambdaFunction.verify(ctx(), found("f"))).rejects.toMatchObject({ kind: "throttled" });
  });
});
