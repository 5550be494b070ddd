import { DeleteSchemaCommand, ListSchemasCommand, PersonalizeClient } from "@aws-sdk/client-personalize";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { FakePersonalizeAccount, ManualClock, buildWorkshopAccount } from "../testing/index.js";
import { dataset } from "./dataset.js";
import { schema } from "./schema.js";

const personalize = mockClient(PersonalizeClient);
const minute = 60_000;

beforeEach(() => {
  personalize.reset();
});

function workshop() {
  const built = buildWorkshopAccount({ pageSize: 2 });
  built.account.install(personalize);
  const schemaNamed = async (name: string) => {
    const found = (await collect(schema.discover(testContext(), {}))).find((f) => f.name === name);
    if (!found) throw new Error(`not discovered: ${name}`);
    return found;
  };
  return { ...built, schemaNamed };
}

describe("personalize.schema", () => {
  it("discovers every schema across pages", async () => {
    const { arns } = workshop();

    const found = await collect(schema.discover(testContext({ resource: schema }), {}));

    expect(found.map((f) => f.id)).toEqual([...arns.privateSchemas, arns.sharedSchema]);
    expect(found[2]).toMatchObject({ name: "shared-users-schema", createdAt: "2025-01-06T09:00:00.000Z" });
    expect(personalize).toHaveReceivedCommandTimes(ListSchemasCommand, 2);
  });

  it("names in the plan every dataset that still uses it", async () => {
    const { names, schemaNamed } = workshop();

    const described = await schema.describe!(testContext({ resource: schema }), await schemaNamed(names.sharedSchema));

    expect(described.notes).toEqual([
      "used by dataset student-ranking-dataset-group/student-users (ACTIVE), " +
        "other-team-dataset-group/other-team-users (ACTIVE): deleted once they are gone; if they are not in the plan it stays",
    ]);
  });

  it("waits (DependencyPending) while a dataset uses it, then deletes it at once", async () => {
    const clock = new ManualClock();
    const account = new FakePersonalizeAccount({ clock });
    const group = account.addDatasetGroup({ name: "g" });
    const used = account.addSchema({ name: "items-schema" });
    const unrelated = account.addSchema({ name: "unrelated-schema" });
    account.addDataset({ name: "items", group, type: "Items", schema: used });
    account.install(personalize);
    const found = (await collect(schema.discover(testContext(), {}))).find((f) => f.id === used)!;
    const ctx = testContext({ resource: schema });

    await expect(schema.delete(ctx, found)).rejects.toMatchObject({
      kind: "dependency-pending",
      message: expect.stringMatching(/^DeleteSchema items-schema: a dataset still uses it: /),
    });
    expect(await schema.verify(ctx, found)).toBe("present");

    // A dataset being deleted still references the schema until it is gone.
    const [items] = await collect(dataset.discover(testContext(), {}));
    await dataset.delete(testContext(), items!);
    await expect(schema.delete(ctx, found)).rejects.toMatchObject({ kind: "dependency-pending" });
    clock.advance(3 * minute);

    await schema.delete(ctx, found);
    expect(personalize).toHaveReceivedCommandWith(DeleteSchemaCommand, { schemaArn: used });
    expect(await schema.verify(ctx, found)).toBe("gone");
    await expect(schema.delete(ctx, found)).rejects.toMatchObject({ kind: "not-found" });
    expect(account.exists(unrelated)).toBe(true);
  });
});
