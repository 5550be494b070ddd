import {
  CreateFunctionCommand,
  GetFunctionCommand,
  LambdaClient,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
} from "@aws-sdk/client-lambda";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { createLambdaRole, placeholderCode } from "../moto-fixtures.js";
import { layer } from "./layer.js";

const moto = useMoto();
const lambda = () => moto.client(LambdaClient);

const ctx = () => moto.context({ resource: layer });

async function publish(layerName: string, times: number): Promise<string[]> {
  const arns: string[] = [];
  for (let i = 0; i < times; i++) {
    const { LayerVersionArn } = await lambda().send(
      new PublishLayerVersionCommand({ LayerName: layerName, Content: { ZipFile: placeholderCode } }),
    );
    arns.push(LayerVersionArn!);
  }
  return arns;
}

async function versionsOf(layerName: string): Promise<number[]> {
  const { LayerVersions } = await lambda().send(new ListLayerVersionsCommand({ LayerName: layerName }));
  return (LayerVersions ?? []).map((v) => v.Version!);
}

describe("lambda.layer on moto", () => {
  it("deletes every version of the selected layer and leaves the decoy layer and a function using it", async () => {
    const [first] = await publish("student-common-layer", 3);
    await publish("other-project-layer", 1);
    const role = await createLambdaRole(moto.endpoint, "other-project-lambda-role");
    await lambda().send(
      new CreateFunctionCommand({
        FunctionName: "student-students-api",
        Role: role,
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Code: { ZipFile: placeholderCode },
        Layers: [first!],
      }),
    );

    const all = await collect(layer.discover(ctx(), { names: ["student-common-layer"] }));
    expect(all.map((l) => l.name).sort()).toEqual(["other-project-layer", "student-common-layer"]);
    const selected = all.find((l) => l.name === "student-common-layer")!;
    expect(selected.tags).toEqual({});

    const planned = await layer.describe!(ctx(), selected);
    expect(planned.children).toEqual([{ kind: "layer versions", count: 3, note: "versions 3, 2, 1" }]);

    await layer.delete(ctx(), planned);
    await expect(layer.verify(ctx(), planned)).resolves.toBe("gone");
    expect(await versionsOf("student-common-layer")).toEqual([]);
    expect(await versionsOf("other-project-layer")).toEqual([1]);
    // No ordering against functions: a function using a deleted version stays.
    await expect(lambda().send(new GetFunctionCommand({ FunctionName: "student-students-api" }))).resolves.toBeTruthy();
    // The same plan again deletes the planned versions again, which are gone: Lambda answers success,
    // verify says gone, and nothing else is touched (apply --plan asks verify before deleting anyway).
    await expect(layer.delete(ctx(), planned)).resolves.toBeUndefined();
    await expect(layer.verify(ctx(), planned)).resolves.toBe("gone");
    expect(await versionsOf("other-project-layer")).toEqual([1]);
    // A plan without the versions recorded lists them and finds nothing left.
    const { versions: _, ...unrecorded } = planned.details ?? {};
    await expect(layer.delete(ctx(), { ...planned, details: unrecorded })).rejects.toMatchObject({
      kind: "not-found",
    });
  });
});
