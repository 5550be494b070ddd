import {
  DeleteLayerVersionCommand,
  LambdaClient,
  ListLayerVersionsCommand,
  ListLayersCommand,
  ResourceNotFoundException,
  ServiceException,
  TooManyRequestsException,
} from "@aws-sdk/client-lambda";
import type { Found } from "@cleanup-runner/plugin-kit";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { layer } from "./layer.js";

const lambda = mockClient(LambdaClient);
const ctx = () => testContext({ resource: layer });
const layerArn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:layer:${name}`;
const found: Found = {
  id: "student-common-layer",
  name: "student-common-layer",
  arn: layerArn("student-common-layer"),
};
const versionsPage = (versions: number[], NextMarker?: string) => ({
  LayerVersions: versions.map((Version) => ({ Version, LayerVersionArn: `${found.arn}:${Version}` })),
  ...(NextMarker ? { NextMarker } : {}),
});

/** ListLayerVersions as Lambda pages it: newest first, NextMarker until the last page. */
function layerVersions(pages: Record<string, ReturnType<typeof versionsPage>>): void {
  lambda
    .on(ListLayerVersionsCommand)
    .callsFake((input: { Marker?: string }) => pages[input.Marker ?? "first"] ?? versionsPage([]));
}

beforeEach(() => {
  lambda.reset();
});

describe("lambda.layer discover", () => {
  it("follows every page and yields layers with no tags to read", async () => {
    lambda.on(ListLayersCommand).callsFake((input: { Marker?: string }) =>
      input.Marker === "p2"
        ? { Layers: [{ LayerName: "other-project-layer", LayerArn: layerArn("other-project-layer") }] }
        : {
            Layers: [
              {
                LayerName: "student-common-layer",
                LayerArn: layerArn("student-common-layer"),
                LatestMatchingVersion: { Version: 3, CreatedDate: "2024-05-01T10:00:00.000+0000" },
              },
            ],
            NextMarker: "p2",
          },
    );

    const all = await collect(layer.discover(ctx(), { names: ["student-common-layer"] }));

    expect(all).toEqual([
      {
        id: "student-common-layer",
        name: "student-common-layer",
        arn: layerArn("student-common-layer"),
        createdAt: "2024-05-01T10:00:00.000Z",
        tags: {},
        details: { latestVersion: 3 },
      },
      { id: "other-project-layer", name: "other-project-layer", arn: layerArn("other-project-layer"), tags: {} },
    ]);
    expect(lambda).toHaveReceivedCommandTimes(ListLayersCommand, 2);
    expect(lambda).toHaveReceivedCommandWith(ListLayersCommand, { Marker: "p2", MaxItems: 50 });
  });
});

describe("lambda.layer describe", () => {
  it("counts every version across pages", async () => {
    layerVersions({ first: versionsPage([3, 2], "m2"), m2: versionsPage([1]) });
    const planned = await layer.describe!(ctx(), found);
    expect(planned.children).toEqual([{ kind: "layer versions", count: 3, note: "versions 3, 2, 1" }]);
    // Recorded for delete, which then lists nothing again.
    expect(planned.details).toEqual({ versions: [3, 2, 1] });
  });

  it("shows many versions as a range", async () => {
    layerVersions({ first: versionsPage([12, 11, 10, 9, 8, 7]) });
    const planned = await layer.describe!(ctx(), found);
    expect(planned.children).toEqual([{ kind: "layer versions", count: 6, note: "versions 7 to 12" }]);
  });
});

describe("lambda.layer delete", () => {
  it("deletes the versions the plan recorded without listing them again", async () => {
    lambda.on(DeleteLayerVersionCommand).resolves({});
    const context = ctx();

    await layer.delete(context, { ...found, details: { latestVersion: 3, versions: [3, 1] } });

    expect(lambda).not.toHaveReceivedCommand(ListLayerVersionsCommand);
    expect(lambda.commandCalls(DeleteLayerVersionCommand).map((c) => c.args[0].input)).toEqual([
      { LayerName: "student-common-layer", VersionNumber: 3 },
      { LayerName: "student-common-layer", VersionNumber: 1 },
    ]);
    expect(context.progressMessages.at(-1)).toBe("deleted 2 of 2 versions");
  });

  it("a retry after a throttled attempt goes on where it stopped", async () => {
    lambda
      .on(DeleteLayerVersionCommand)
      .resolvesOnce({})
      .rejectsOnce(new TooManyRequestsException({ message: "Rate exceeded", $metadata: { httpStatusCode: 429 } }))
      .resolves({});
    const run = ctx();
    const planned = { ...found, details: { latestVersion: 3, versions: [3, 2, 1] } };

    await expect(layer.delete(run, planned)).rejects.toMatchObject({ kind: "throttled" });
    await layer.delete(run, planned);

    // 3 deleted, 2 throttled; the retry sends 2 and 1 only
    expect(lambda.commandCalls(DeleteLayerVersionCommand).map((c) => c.args[0].input.VersionNumber)).toEqual([
      3, 2, 2, 1,
    ]);
  });

  it("lists the versions when the plan's record is missing or malformed (an older plan file)", async () => {
    layerVersions({ first: versionsPage([2, 1]) });
    lambda.on(DeleteLayerVersionCommand).resolves({});

    await layer.delete(ctx(), { ...found, details: { versions: ["2", 1] } });

    expect(lambda).toHaveReceivedCommandTimes(ListLayerVersionsCommand, 1);
    expect(lambda).toHaveReceivedCommandTimes(DeleteLayerVersionCommand, 2);
  });

  it("deletes every version, listed to the last page, when the plan has none recorded", async () => {
    layerVersions({ first: versionsPage([3, 2], "m2"), m2: versionsPage([1]) });
    lambda.on(DeleteLayerVersionCommand).resolves({});
    const context = ctx();

    await layer.delete(context, found);

    expect(lambda).toHaveReceivedCommandTimes(DeleteLayerVersionCommand, 3);
    for (const VersionNumber of [3, 2, 1]) {
      expect(lambda).toHaveReceivedCommandWith(DeleteLayerVersionCommand, {
        LayerName: "student-common-layer",
        VersionNumber,
      });
    }
    expect(context.progressMessages.at(-1)).toBe("deleted 3 of 3 versions");
  });

  it("goes on when a version is already gone, and says NotFound when none is left", async () => {
    layerVersions({ first: versionsPage([2, 1]) });
    lambda
      .on(DeleteLayerVersionCommand, { VersionNumber: 2 })
      .rejects(new ResourceNotFoundException({ message: "gone", $metadata: { httpStatusCode: 404 } }));
    lambda.on(DeleteLayerVersionCommand, { VersionNumber: 1 }).resolves({});
    await layer.delete(ctx(), found);
    expect(lambda).toHaveReceivedCommandWith(DeleteLayerVersionCommand, { VersionNumber: 1 });

    lambda.reset();
    layerVersions({});
    await expect(layer.delete(ctx(), found)).rejects.toMatchObject({ kind: "not-found" });
    expect(lambda).not.toHaveReceivedCommand(DeleteLayerVersionCommand);
  });

  it("stops on throttling so the engine retries the rest", async () => {
    layerVersions({ first: versionsPage([2, 1]) });
    lambda
      .on(DeleteLayerVersionCommand)
      .rejects(new TooManyRequestsException({ message: "Rate exceeded", $metadata: { httpStatusCode: 429 } }));
    await expect(layer.delete(ctx(), found)).rejects.toMatchObject({ kind: "throttled" });
    expect(lambda).toHaveReceivedCommandTimes(DeleteLayerVersionCommand, 1);
  });
});

describe("lambda.layer verify", () => {
  it("is present while a version is listed, gone when none is", async () => {
    lambda
      .on(ListLayerVersionsCommand)
      .resolvesOnce(versionsPage([1]))
      .resolves(versionsPage([]));
    await expect(layer.verify(ctx(), found)).resolves.toBe("present");
    await expect(layer.verify(ctx(), found)).resolves.toBe("gone");
    expect(lambda).toHaveReceivedCommandWith(ListLayerVersionsCommand, { LayerName: found.name, MaxItems: 1 });
  });

  it("fails at once, naming it, when the version left is one published after the plan", async () => {
    const planned: Found = { ...found, details: { versions: [2, 1] } };
    // Still listed a moment after its delete: the plan's own version, so verify waits.
    lambda
      .on(ListLayerVersionsCommand)
      .resolvesOnce(versionsPage([2]))
      .resolves(versionsPage([3]));
    await expect(layer.verify(ctx(), planned)).resolves.toBe("present");

    await expect(layer.verify(ctx(), planned)).rejects.toMatchObject({
      kind: "fatal",
      message: expect.stringContaining("version 3 was published after the plan and is kept"),
    });
  });

  it("is present, never gone nor failed, while a listed version carries no number", async () => {
    // Nothing says which version it is: still there, so verify waits rather than call the layer gone.
    lambda.on(ListLayerVersionsCommand).resolves({ LayerVersions: [{ LayerVersionArn: `${found.arn}:9` }] });
    await expect(layer.verify(ctx(), found)).resolves.toBe("present");
    await expect(layer.verify(ctx(), { ...found, details: { versions: [2, 1] } })).resolves.toBe("present");
  });

  it("throws a classified error when Lambda fails", async () => {
    lambda
      .on(ListLayerVersionsCommand)
      .rejects(new ServiceException({ message: "internal", $metadata: { httpStatusCode: 500 } }));
    await expect(layer.verify(ctx(), found)).rejects.toMatchObject({ kind: "throttled", retryable: true });
  });
});
