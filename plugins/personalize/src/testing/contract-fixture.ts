/**
 * Contract fixtures (`testResourceType`) for the Personalize types, on the
 * simulated account of `fake-account.ts`: List* pages of `pageSize` items,
 * asynchronous deletes that `advance()` moves through DELETE PENDING and
 * DELETE IN_PROGRESS, and every resource seeded where AWS requires it to
 * live (campaigns on a solution version, a solution's own version, one
 * event tracker per dataset group, one dataset of each type per group).
 */
import { PersonalizeClient } from "@aws-sdk/client-personalize";
import type { ContractFixture, ContractResource } from "@cleanup-runner/plugin-kit/contract";
import { mockClient } from "aws-sdk-client-mock";
import { FakePersonalizeAccount, ManualClock, type DeletableKind } from "./fake-account.js";

/**
 * How far one `advance()` moves the clock: the contract suite advances up to
 * 50 times, 500 s, past the fake's longest delete (a campaign's 5 minutes).
 */
const tickMs = 10_000;

/** Dataset types, in the order the fixture gives them to the datasets of one group. */
const datasetTypes = ["Interactions", "Items", "Users", "Actions", "Action_Interactions"] as const;

/** `<dataset group>/<name>`, as the plugin names datasets and event trackers. */
function splitQualified(qualified: string): { group: string; name: string } {
  const slash = qualified.indexOf("/");
  if (slash < 0) throw new Error(`expected <dataset group>/<name>, got ${qualified}`);
  return { group: qualified.slice(0, slash), name: qualified.slice(slash + 1) };
}

/** Seeds one kind into an account; answers the ARN of each resource by its contract name. */
type Populate = (account: FakePersonalizeAccount, resources: readonly ContractResource[]) => Map<string, string>;

/** Dataset groups created on demand by name. */
function groupsOn(account: FakePersonalizeAccount): (name: string) => string {
  const groups = new Map<string, string>();
  return (name) => {
    let arn = groups.get(name);
    if (arn === undefined) {
      arn = account.addDatasetGroup({ name });
      groups.set(name, arn);
    }
    return arn;
  };
}

const populate: Record<DeletableKind, Populate> = {
  datasetGroup: (account, resources) =>
    new Map(resources.map((r) => [r.name, account.addDatasetGroup({ name: r.name, tags: r.tags })])),

  schema: (account, resources) => new Map(resources.map((r) => [r.name, account.addSchema({ name: r.name })])),

  solution: (account, resources) => {
    const group = account.addDatasetGroup({ name: "contract-solutions" });
    return new Map(
      resources.map((r) => {
        const solution = account.addSolution({ name: r.name, group, tags: r.tags });
        // DeleteSolution takes its (finished) versions along.
        account.addSolutionVersion({ solution });
        return [r.name, solution];
      }),
    );
  },

  campaign: (account, resources) => {
    const group = account.addDatasetGroup({ name: "contract-campaigns" });
    const solution = account.addSolution({ name: "contract-ranking", group });
    const solutionVersion = account.addSolutionVersion({ solution });
    return new Map(
      resources.map((r) => [r.name, account.addCampaign({ name: r.name, solutionVersion, tags: r.tags })]),
    );
  },

  recommender: (account, resources) => {
    const group = account.addDatasetGroup({ name: "contract-domain" });
    return new Map(resources.map((r) => [r.name, account.addRecommender({ name: r.name, group, tags: r.tags })]));
  },

  filter: (account, resources) => {
    const group = account.addDatasetGroup({ name: "contract-filters" });
    return new Map(resources.map((r) => [r.name, account.addFilter({ name: r.name, group, tags: r.tags })]));
  },

  metricAttribution: (account, resources) =>
    new Map(
      resources.map((r) => [
        r.name,
        account.addMetricAttribution({ name: r.name, group: account.addDatasetGroup({ name: `${r.name}-group` }) }),
      ]),
    ),

  eventTracker: (account, resources) => {
    const group = groupsOn(account);
    return new Map(
      resources.map((r) => {
        const { group: groupName, name } = splitQualified(r.name);
        return [r.name, account.addEventTracker({ name, group: group(groupName), tags: r.tags })];
      }),
    );
  },

  dataset: (account, resources) => {
    const group = groupsOn(account);
    const schemas = new Map<string, string>();
    const typesUsed = new Map<string, number>();
    return new Map(
      resources.map((r) => {
        const { group: groupName, name } = splitQualified(r.name);
        const used = typesUsed.get(groupName) ?? 0;
        const type = datasetTypes[used];
        if (type === undefined) throw new Error(`a dataset group holds at most ${datasetTypes.length} datasets`);
        typesUsed.set(groupName, used + 1);
        let schema = schemas.get(type);
        if (schema === undefined) {
          schema = account.addSchema({ name: `contract-${type.toLowerCase()}-schema` });
          schemas.set(type, schema);
        }
        return [r.name, account.addDataset({ name, group: group(groupName), type, schema, tags: r.tags })];
      }),
    );
  },
};

/**
 * A contract fixture for one Personalize kind. Datasets and event trackers
 * are seeded by their qualified names (`<dataset group>/<name>`), each
 * group made as needed; datasets take the types of `datasetTypes` in order
 * within their group, with one shared schema per type.
 */
export function fakePersonalizeFixture(kind: DeletableKind, pageSize = 4): ContractFixture {
  const stub = mockClient(PersonalizeClient);
  let clock = new ManualClock();
  let account = new FakePersonalizeAccount({ clock, pageSize });
  let arns = new Map<string, string>();
  return {
    seed(resources) {
      stub.reset();
      clock = new ManualClock();
      account = new FakePersonalizeAccount({ clock, pageSize });
      arns = populate[kind](account, resources);
      account.install(stub);
    },
    present: () => [...arns].filter(([, arn]) => account.exists(arn)).map(([name]) => name),
    advance() {
      clock.advance(tickMs);
    },
  };
}
