import {
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  GetFunctionCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  PublishLayerVersionCommand,
} from "@aws-sdk/client-lambda";
import type { Found, Static } from "@cleanup-runner/plugin-kit";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { beforeEach, describe, expect, it } from "vitest";
import { createLambdaRole, createTableStream, placeholderCode } from "../moto-fixtures.js";
import { lambdaFunction } from "./function.js";

type Options = Static<NonNullable<typeof lambdaFunction.options>>;

const moto = useMoto();
const lambda = () => moto.client(LambdaClient);
let role: string;
let stream: string;

const ctx = (options: Partial<Options> = {}) => moto.context<Options>({ resource: lambdaFunction, options });

async function createFunction(name: string, extra: { layers?: string[]; tags?: Record<string, string> } = {}) {
  await lambda().send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: role,
      Runtime: "nodejs20.x",
      Handler: "index.handler",
      Code: { ZipFile: placeholderCode },
      ...(extra.layers ? { Layers: extra.layers } : {}),
      ...(extra.tags ? { Tags: extra.tags } : {}),
    }),
  );
}

async function mapStream(functionName: string): Promise<string> {
  const { UUID } = await lambda().send(
    new CreateEventSourceMappingCommand({
      FunctionName: functionName,
      EventSourceArn: stream,
      StartingPosition: "LATEST",
    }),
  );
  return UUID!;
}

async function mappingsOf(functionName: string): Promise<string[]> {
  const { EventSourceMappings } = await lambda().send(new ListEventSourceMappingsCommand({}));
  return (EventSourceMappings ?? []).filter((m) => m.FunctionArn?.split(":")[6] === functionName).map((m) => m.UUID!);
}

async function exists(name: string): Promise<boolean> {
  try {
    await lambda().send(new GetFunctionCommand({ FunctionName: name }));
    return true;
  } catch {
    return false;
  }
}

/** What the engine does with an entry `match: { prefix }`: discover, select, describe. */
async function plan(options: Partial<Options>, prefix: string): Promise<Found[]> {
  const all = await collect(lambdaFunction.discover(ctx(options), { prefix }));
  return Promise.all(
    all.filter((f) => f.name.startsWith(prefix)).map((f) => lambdaFunction.describe!(ctx(options), f)),
  );
}

beforeEach(async () => {
  role = await createLambdaRole(moto.endpoint, "other-project-lambda-role");
  stream = await createTableStream(moto.endpoint, "Student-Events");
});

describe("lambda.function on moto", () => {
  it("deletes the selected functions with their mappings and leaves the decoy alone", async () => {
    const { LayerVersionArn } = await lambda().send(
      new PublishLayerVersionCommand({ LayerName: "student-common-layer", Content: { ZipFile: placeholderCode } }),
    );
    await createFunction("student-auth-handler", { layers: [LayerVersionArn!], tags: { workshop: "student" } });
    await createFunction("student-event-processor", { layers: [LayerVersionArn!] });
    await createFunction("other-project-fn");
    await mapStream("student-event-processor");
    const decoyMapping = await mapStream("other-project-fn");
    await lambda().send(new CreateFunctionUrlConfigCommand({ FunctionName: "student-auth-handler", AuthType: "NONE" }));

    const planned = await plan({}, "student-");

    expect(planned.map((f) => f.name).sort()).toEqual(["student-auth-handler", "student-event-processor"]);
    const auth = planned.find((f) => f.name === "student-auth-handler")!;
    const processor = planned.find((f) => f.name === "student-event-processor")!;
    await expect(lambdaFunction.readTags!(ctx(), auth)).resolves.toEqual({ workshop: "student" });
    expect(auth.children).toEqual([{ kind: "function URLs", count: 1, note: expect.stringContaining("lambda-url") }]);
    expect(processor.children).toEqual([
      { kind: "event source mappings", count: 1, note: expect.stringContaining("dynamodb table/Student-Events") },
    ]);
    expect(processor.companions).toEqual([
      {
        type: "logs.log-group",
        names: ["/aws/lambda/student-event-processor"],
        order: "after",
        reason: "the function's log group",
      },
    ]);

    for (const fn of planned) {
      await lambdaFunction.delete(ctx(), fn);
      await expect(lambdaFunction.verify(ctx(), fn)).resolves.toBe("gone");
    }

    expect(await exists("student-auth-handler")).toBe(false);
    expect(await exists("student-event-processor")).toBe(false);
    expect(await mappingsOf("student-event-processor")).toEqual([]);
    // The decoy and its mapping are intact.
    expect(await exists("other-project-fn")).toBe(true);
    expect(await mappingsOf("other-project-fn")).toEqual([decoyMapping]);
    // A second run finds the functions gone.
    await expect(lambdaFunction.delete(ctx(), auth)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("finds the mappings bound to an alias", async () => {
    await createFunction("student-students-api");
    await lambda().send(
      new CreateAliasCommand({ FunctionName: "student-students-api", Name: "live", FunctionVersion: "$LATEST" }),
    );
    await mapStream("student-students-api:live");
    await lambda().send(
      new CreateFunctionUrlConfigCommand({ FunctionName: "student-students-api", Qualifier: "live", AuthType: "NONE" }),
    );

    const [planned] = await plan({}, "student-");

    expect(planned?.children).toContainEqual({ kind: "aliases", count: 1, note: "live" });
    // The alias's URL is found whether the endpoint offers ListFunctionUrlConfigs or only the Get.
    expect(planned?.children).toContainEqual({
      kind: "function URLs",
      count: 1,
      note: expect.stringContaining("lambda-url"),
    });
    expect(planned?.children).toContainEqual(expect.objectContaining({ kind: "event source mappings", count: 1 }));
    await lambdaFunction.delete(ctx(), planned!);
    expect(await mappingsOf("student-students-api")).toEqual([]);
    await expect(lambdaFunction.verify(ctx(), planned!)).resolves.toBe("gone");
  });

  it("leaves mappings and the log group when the options say so", async () => {
    await createFunction("student-event-processor");
    const mapping = await mapStream("student-event-processor");
    const options = { deleteEventSourceMappings: false, deleteLogGroup: false };

    const [planned] = await plan(options, "student-");

    expect(planned?.companions).toEqual([]);
    expect(planned?.notes).toHaveLength(2);
    await lambdaFunction.delete(ctx(options), planned!);
    expect(await exists("student-event-processor")).toBe(false);
    // DeleteFunction does not take its mappings with it.
    expect(await mappingsOf("student-event-processor")).toEqual([mapping]);
  });
});
