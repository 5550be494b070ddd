import {
  CreateSchemaCommand,
  DescribeSchemaCommand,
  ListSchemasCommand,
  PersonalizeClient,
} from "@aws-sdk/client-personalize";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { schema } from "./schema.js";

/** An Avro schema of an interactions dataset, as the workshop writes it. */
const interactionsSchema = JSON.stringify({
  type: "record",
  name: "Interactions",
  namespace: "com.amazonaws.personalize.schema",
  fields: [
    { name: "USER_ID", type: "string" },
    { name: "ITEM_ID", type: "string" },
    { name: "TIMESTAMP", type: "long" },
  ],
  version: "1.0",
});

const moto = useMoto();

function context() {
  return moto.context({ resource: schema });
}

async function createSchema(name: string): Promise<string> {
  const client = context().client(PersonalizeClient);
  const { schemaArn } = await client.send(new CreateSchemaCommand({ name, schema: interactionsSchema }));
  return schemaArn!;
}

describe("personalize.schema against moto", () => {
  it("discovers, deletes and verifies a schema; the decoy stays; a second run says NotFound", async () => {
    const target = await createSchema("student-interactions-schema");
    const decoy = await createSchema("other-team-schema");
    const ctx = context();

    const found = await collect(schema.discover(ctx, {}));
    expect(found.map((f) => [f.name, f.id])).toEqual([
      ["student-interactions-schema", target],
      ["other-team-schema", decoy],
    ]);
    expect(found[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    await schema.delete(ctx, found[0]!);
    expect(await schema.verify(ctx, found[0]!)).toBe("gone");
    await expect(schema.delete(ctx, found[0]!)).rejects.toMatchObject({ kind: "not-found" });

    const client = ctx.client(PersonalizeClient);
    const left = await client.send(new ListSchemasCommand({}));
    expect(left.schemas?.map((s) => s.name)).toEqual(["other-team-schema"]);
    const kept = await client.send(new DescribeSchemaCommand({ schemaArn: decoy }));
    expect(kept.schema?.schema).toBe(interactionsSchema);
    expect(await schema.verify(ctx, found[1]!)).toBe("present");
  });
});
