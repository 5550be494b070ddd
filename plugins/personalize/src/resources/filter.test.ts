import { DeleteFilterCommand, ListFiltersCommand, PersonalizeClient } from "@aws-sdk/client-personalize";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { FakePersonalizeAccount, ManualClock } from "../testing/index.js";
import { filter } from "./filter.js";

const personalize = mockClient(PersonalizeClient);

beforeEach(() => {
  personalize.reset();
});

function account() {
  const clock = new ManualClock();
  const fake = new FakePersonalizeAccount({ clock, pageSize: 2 });
  const group = fake.addDatasetGroup({ name: "g" });
  fake.install(personalize);
  return { clock, fake, group };
}

describe("personalize.filter", () => {
  it("discovers every filter across pages (the response's `Filters` list), with its group", async () => {
    const { fake, group } = account();
    const arns = ["a", "b", "c"].map((name) => fake.addFilter({ name, group }));

    const found = await collect(filter.discover(testContext({ resource: filter }), {}));

    expect(found.map((f) => [f.name, f.id])).toEqual([
      ["a", arns[0]],
      ["b", arns[1]],
      ["c", arns[2]],
    ]);
    expect(found[0]!.details).toEqual({ status: "ACTIVE", datasetGroupArn: group });
    expect(personalize).toHaveReceivedCommandTimes(ListFiltersCommand, 2);
  });

  it("deletes asynchronously: DELETE PENDING -> DELETE IN_PROGRESS -> gone, then NotFound", async () => {
    const { clock, fake, group } = account();
    const arn = fake.addFilter({ name: "f", group });
    const [found] = await collect(filter.discover(testContext(), {}));
    const ctx = testContext({ resource: filter });

    await filter.delete(ctx, found!);
    expect(personalize).toHaveReceivedCommandExactlyOnceWith(DeleteFilterCommand, { filterArn: arn });
    expect(await filter.verify(ctx, found!)).toBe("deleting");
    clock.advance(15_000);
    expect(await filter.verify(ctx, found!)).toBe("deleting");
    clock.advance(30_000);
    expect(await filter.verify(ctx, found!)).toBe("gone");

    expect(ctx.progressMessages).toEqual(["DELETE PENDING", "DELETE IN_PROGRESS"]);
    await expect(filter.delete(ctx, found!)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("waits for a filter still being created, and deletes one whose creation failed", async () => {
    const { fake, group } = account();
    const creating = fake.addFilter({ name: "creating", group, status: "CREATE PENDING" });
    const failed = fake.addFilter({ name: "failed", group, status: "CREATE FAILED" });
    const found = await collect(filter.discover(testContext(), {}));

    await expect(filter.delete(testContext(), found[0]!)).rejects.toMatchObject({ kind: "dependency-pending" });
    await filter.delete(testContext(), found[1]!);

    expect(fake.status(creating)).toBe("CREATE PENDING");
    expect(fake.status(failed)).toBe("DELETE PENDING");
  });
});
