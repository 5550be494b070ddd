import { ListDatasetsCommand, PersonalizeClient } from "@aws-sdk/client-personalize";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { planningDatasetGroups } from "./dataset-groups.js";
import { planningDatasetsOf, readDatasetsOfGroups } from "./planning-reads.js";
import { FakePersonalizeAccount, ManualClock } from "./testing/index.js";

const personalize = mockClient(PersonalizeClient);

beforeEach(() => {
  personalize.reset();
});

/** `groups` dataset groups of 3 datasets each, and a client of its own (planning reads are kept per client). */
function account(groups: number) {
  const fake = new FakePersonalizeAccount({ clock: new ManualClock() });
  const schema = fake.addSchema({ name: "s" });
  for (let g = 0; g < groups; g++) {
    const group = fake.addDatasetGroup({ name: `g${g}` });
    for (const type of ["Interactions", "Items", "Users"] as const) {
      fake.addDataset({ name: `g${g}-${type.toLowerCase()}`, group, type, schema });
    }
  }
  fake.install(personalize);
  return new PersonalizeClient({});
}

const datasetListings = () => personalize.commandCalls(ListDatasetsCommand).map((c) => c.args[0].input.datasetGroupArn);

describe("planningDatasetsOf", () => {
  it("lists one group for itself when the region's listing would take as many calls", async () => {
    const client = account(3);
    const [first] = await planningDatasetGroups(client);
    await readDatasetsOfGroups(client, 1);

    const datasets = await planningDatasetsOf(client, first!);

    expect(datasets.map((d) => d.qualifiedName)).toEqual(["g0/g0-interactions", "g0/g0-items", "g0/g0-users"]);
    expect(datasetListings()).toEqual([first!.arn]);
  });

  it("reads many groups from one listing of the region, each dataset filed under the group its ARN names", async () => {
    const client = account(30);
    const groups = await planningDatasetGroups(client);
    await readDatasetsOfGroups(client, groups.length);

    const all = await Promise.all(groups.map((g) => planningDatasetsOf(client, g)));

    expect(all.map((datasets) => datasets.length)).toEqual(groups.map(() => 3));
    expect(all[7]!.map((d) => [d.qualifiedName, d.group.name])).toEqual([
      ["g7/g7-interactions", "g7"],
      ["g7/g7-items", "g7"],
      ["g7/g7-users", "g7"],
    ]);
    // 90 datasets, 100 a page: one call instead of 30
    expect(datasetListings()).toEqual([undefined]);
  });

  it("lists group by group when a dataset's ARN does not name its group", async () => {
    const client = account(3);
    const groups = await planningDatasetGroups(client);
    const arn = (name: string) => `arn:aws:personalize:us-east-1:123456789012:dataset/${name}`;
    personalize.on(ListDatasetsCommand).callsFake((input: { datasetGroupArn?: string }) => ({
      datasets: input.datasetGroupArn
        ? [{ name: "g1-items", datasetArn: arn("g1/ITEMS") }]
        : [{ name: "odd", datasetArn: arn("odd") }],
    }));
    await readDatasetsOfGroups(client, groups.length);

    const datasets = await planningDatasetsOf(client, groups[1]!);

    expect(datasets.map((d) => d.qualifiedName)).toEqual(["g1/g1-items"]);
    expect(datasetListings()).toEqual([undefined, groups[1]!.arn]);
  });
});
