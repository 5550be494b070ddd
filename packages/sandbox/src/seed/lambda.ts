import { CreateRoleCommand, GetRoleCommand, IAMClient, type Role } from "@aws-sdk/client-iam";
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  GetFunctionCommand,
  LambdaClient,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
} from "@aws-sdk/client-lambda";
import { crc32 } from "node:zlib";
import { isNotFound } from "@cleanup-runner/plugin-kit";
import { clientConfig, seeded, type SeedResult, type SeedTarget, type SeededResource } from "./types.js";

/** The workshop's functions: API backends, event-driven handlers and integrations. */
export function workshopFunctionNames(prefix: string): string[] {
  return [
    "auth-handler",
    "students-api",
    "lecturers-api",
    "admin-api",
    "event-processor",
    "ses-email-handler",
    "personalize-integration",
    "appsync-resolver",
  ].map((name) => `${prefix}-${name}`);
}

/** The decoy execution role every seeded function runs as; no entry selects it. */
export const decoyLambdaRole = "other-project-lambda-role";

/**
 * Seeds the workshop's Lambda footprint: eight functions named `${prefix}-...`
 * (tagged `workshop: student-system`), the API ones on two versions of the layer
 * `${prefix}-common-layer`, `${prefix}-students-api` with an alias `live` and
 * an IAM-authenticated function URL. Decoys: the function `other-project-fn`,
 * the layer `other-project-layer` and the execution role
 * `other-project-lambda-role` all functions run as. Log groups: see logs.ts.
 */
export async function seedLambda(target: SeedTarget, prefix: string): Promise<SeedResult> {
  const lambda = new LambdaClient(clientConfig(target));
  const iam = new IAMClient(clientConfig(target));
  const role = await lambdaRole(iam);

  const publishLayer = async (name: string, file: string): Promise<string> => {
    const { LayerVersionArn } = await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: name,
        Content: { ZipFile: zip(`nodejs/${file}`, "export const greeting = 'hello';\n") },
        CompatibleRuntimes: ["nodejs20.x"],
      }),
    );
    return LayerVersionArn!;
  };
  const layerName = `${prefix}-common-layer`;
  await publishLayer(layerName, "common.mjs");
  const layerArn = await publishLayer(layerName, "common.mjs");
  // Decoys are shared by every prefix seeded into the account: made once.
  if (!(await layerExists(lambda, "other-project-layer"))) await publishLayer("other-project-layer", "other.mjs");

  const functions = workshopFunctionNames(prefix);
  const apis = new Set(functions.slice(0, 4));
  for (const name of functions) {
    await createFunction(lambda, name, role, {
      layers: apis.has(name) ? [layerArn] : [],
      tags: { workshop: "student-system" },
    });
  }
  const studentsApi = `${prefix}-students-api`;
  await lambda.send(new CreateAliasCommand({ FunctionName: studentsApi, Name: "live", FunctionVersion: "$LATEST" }));
  await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: studentsApi, AuthType: "AWS_IAM" }));
  try {
    await createFunction(lambda, "other-project-fn", role, { layers: [], tags: { workshop: "other-project" } });
  } catch (error) {
    if ((error as { name?: string }).name !== "ResourceConflictException") throw error;
  }

  const fn = (name: string) =>
    seeded(`lambda.function ${name}`, () => lambda.send(new GetFunctionCommand({ FunctionName: name })));
  const layer = (name: string): SeededResource => ({
    description: `lambda.layer ${name}`,
    exists: () => layerExists(lambda, name),
  });
  const roleExists = seeded(`iam.role ${decoyLambdaRole}`, () =>
    iam.send(new GetRoleCommand({ RoleName: decoyLambdaRole })),
  );

  return {
    selected: [...functions.map(fn), layer(layerName)],
    decoys: [fn("other-project-fn"), layer("other-project-layer"), roleExists],
  };
}

/** A layer exists while one of its versions is listed. */
async function layerExists(lambda: LambdaClient, name: string): Promise<boolean> {
  try {
    const { LayerVersions } = await lambda.send(new ListLayerVersionsCommand({ LayerName: name, MaxItems: 1 }));
    return Boolean(LayerVersions?.length);
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** The decoy role, made once per account (IAM is global) and reused by later seeds. */
async function lambdaRole(iam: IAMClient): Promise<string> {
  let role: Role | undefined;
  try {
    ({ Role: role } = await iam.send(
      new CreateRoleCommand({
        RoleName: decoyLambdaRole,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        Tags: [{ Key: "workshop", Value: "other-project" }],
      }),
    ));
  } catch (error) {
    if ((error as { name?: string }).name !== "EntityAlreadyExistsException") throw error;
    ({ Role: role } = await iam.send(new GetRoleCommand({ RoleName: decoyLambdaRole })));
  }
  return role!.Arn!;
}

/**
 * Creates a Node.js function. On AWS a role made seconds ago cannot be assumed
 * by Lambda yet (IAM is eventually consistent): retry for up to a minute.
 */
async function createFunction(
  lambda: LambdaClient,
  name: string,
  role: string,
  setup: { layers: string[]; tags: Record<string, string> },
): Promise<void> {
  const create = new CreateFunctionCommand({
    FunctionName: name,
    Role: role,
    Runtime: "nodejs20.x",
    Handler: "index.handler",
    Code: { ZipFile: zip("index.mjs", "export const handler = async () => ({ statusCode: 200 });\n") },
    Layers: setup.layers,
    Tags: setup.tags,
  });
  for (let attempt = 1; ; attempt++) {
    try {
      await lambda.send(create);
      return;
    } catch (error) {
      const e = error as { name?: string; message?: string };
      const roleNotReady = e.name === "InvalidParameterValueException" && /cannot be assumed/i.test(e.message ?? "");
      if (!roleNotReady || attempt >= 12) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  }
}

/** A ZIP archive holding one file, stored uncompressed: all a deployment package needs. */
function zip(fileName: string, content: string): Uint8Array {
  const name = Buffer.from(fileName);
  const data = Buffer.from(content);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); // local file header
  local.writeUInt16LE(20, 4); // version needed: 2.0
  local.writeUInt16LE(0x21, 12); // date: 1980-01-01
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); // central directory header
  central.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0 (so the mode below counts)
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x21, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0o100644 * 0x10000, 38); // a regular file, readable by all
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}
