import {
  AppSyncClient,
  CreateApiKeyCommand,
  CreateGraphqlApiCommand,
  ListApiKeysCommand,
} from "@aws-sdk/client-appsync";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { graphqlApi } from "./graphql-api.js";

const moto = useMoto();

describe("appsync.graphql-api on moto", () => {
  it("deletes the API with its API keys and leaves the decoy", async () => {
    const appsync = moto.client(AppSyncClient);
    const { graphqlApi: student } = await appsync.send(
      new CreateGraphqlApiCommand({
        name: "student-graphql",
        authenticationType: "API_KEY",
        tags: { app: "students" },
      }),
    );
    await appsync.send(new CreateApiKeyCommand({ apiId: student?.apiId }));
    await appsync.send(new CreateApiKeyCommand({ apiId: student?.apiId }));
    const { graphqlApi: decoy } = await appsync.send(
      new CreateGraphqlApiCommand({ name: "other-project-graphql", authenticationType: "API_KEY" }),
    );
    await appsync.send(new CreateApiKeyCommand({ apiId: decoy?.apiId }));
    const ctx = moto.context();

    const found = await collect(graphqlApi.discover(ctx, {}));
    expect(found.map((f) => f.name).sort()).toEqual(["other-project-graphql", "student-graphql"]);
    const target = found.find((f) => f.name === "student-graphql")!;
    expect(target).toMatchObject({ id: student?.apiId, arn: student?.arn, tags: { app: "students" } });

    const planned = await graphqlApi.describe!(ctx, target);
    // moto has no data sources, functions or custom domains (404): those are shown uncounted.
    expect(planned.children).toContainEqual({ kind: "API keys", count: 2 });
    expect(planned.details?.domains).toEqual([]);

    await graphqlApi.delete(ctx, planned);
    expect(await graphqlApi.verify(ctx, planned)).toBe("gone");
    await expect(graphqlApi.delete(ctx, planned)).rejects.toMatchObject({ kind: "not-found" });
    expect(await graphqlApi.verify(ctx, { id: decoy!.apiId!, name: "other-project-graphql" })).toBe("present");
    const decoyKeys = await appsync.send(new ListApiKeysCommand({ apiId: decoy?.apiId }));
    expect(decoyKeys.apiKeys).toHaveLength(1);
  });
});
