import { DeleteRecommenderCommand, ListRecommendersCommand, PersonalizeClient } from "@aws-sdk/client-personalize";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { FakePersonalizeAccount, ManualClock } from "../testing/index.js";
import { recommender } from "./recommender.js";

const personalize = mockClient(PersonalizeClient);
const minute = 60_000;

beforeEach(() => {
  personalize.reset();
});

function account() {
  const clock = new ManualClock();
  const fake = new FakePersonalizeAccount({ clock, pageSize: 1 });
  const group = fake.addDatasetGroup({ name: "retail" });
  fake.install(personalize);
  return { clock, fake, group };
}

async function discovered(name: string) {
  const found = (await collect(recommender.discover(testContext(), {}))).find((f) => f.name === name);
  if (!found) throw new Error(`not discovered: ${name}`);
  return found;
}

describe("personalize.recommender", () => {
  it("discovers every recommender across pages, with its group", async () => {
    const { fake, group } = account();
    fake.addRecommender({ name: "top-picks", group });
    fake.addRecommender({ name: "best-sellers", group, status: "INACTIVE" });

    const found = await collect(recommender.discover(testContext({ resource: recommender }), {}));

    expect(found.map((f) => [f.name, f.details])).toEqual([
      ["top-picks", { status: "ACTIVE", datasetGroupArn: group }],
      ["best-sellers", { status: "INACTIVE", datasetGroupArn: group }],
    ]);
    expect(personalize).toHaveReceivedCommandTimes(ListRecommendersCommand, 2);
  });

  it("deletes a stopped (INACTIVE) recommender and waits until it is gone", async () => {
    const { clock, fake, group } = account();
    const arn = fake.addRecommender({ name: "stopped", group, status: "INACTIVE" });
    const found = await discovered("stopped");
    const ctx = testContext({ resource: recommender });

    await recommender.delete(ctx, found);

    expect(personalize).toHaveReceivedCommandWith(DeleteRecommenderCommand, { recommenderArn: arn });
    expect(await recommender.verify(ctx, found)).toBe("deleting");
    clock.advance(4 * minute);
    expect(await recommender.verify(ctx, found)).toBe("gone");
  });

  it("waits while a recommender is stopping, and the plan says so", async () => {
    const { clock, fake, group } = account();
    const arn = fake.addRecommender({
      name: "stopping",
      group,
      status: "STOP IN_PROGRESS",
      then: [{ status: "INACTIVE", afterMs: 5 * minute }],
    });
    const found = await discovered("stopping");

    const described = await recommender.describe!(testContext(), found);
    expect(described.notes).toEqual(["changing state (STOP IN_PROGRESS): it is deleted once the change ends"]);
    await expect(recommender.delete(testContext(), found)).rejects.toThrow(
      /DeleteRecommender stopping: refused while it is STOP IN_PROGRESS/,
    );

    clock.advance(5 * minute);
    await recommender.delete(testContext(), found);
    expect(fake.status(arn)).toBe("DELETE PENDING");
  });
});
