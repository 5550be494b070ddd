/**
 * Contract fixtures (`testResourceType`) for the AppSync types, on the
 * in-memory AppSync of `fake-appsync.ts`. Every other API and domain is
 * associated, so that a delete has the association to remove first; lists
 * answer at most `pageSize` items, well under the seeded count.
 */
import { AppSyncClient } from "@aws-sdk/client-appsync";
import type { ContractFixture, ContractResource } from "@cleanup-runner/plugin-kit/contract";
import { mockClient } from "aws-sdk-client-mock";
import { FakeAppSync } from "./fake-appsync.js";

/** A fixture on a fresh FakeAppSync per seed, populated by `populate`; `present` names what is left of the type. */
function appSyncFixture(
  populate: (fake: FakeAppSync, resources: readonly ContractResource[]) => void,
  present: (fake: FakeAppSync) => string[],
  pageSize: number,
): ContractFixture {
  let fake = new FakeAppSync(pageSize);
  return {
    seed(resources) {
      fake = new FakeAppSync(pageSize);
      populate(fake, resources);
      fake.install(mockClient(AppSyncClient));
    },
    present: () => present(fake),
  };
}

/**
 * GraphQL APIs with data sources, functions and API keys (more than a page
 * of keys), every odd one associated with a custom domain of its own; beside
 * them an API another account shares with this one, which discover must
 * not yield. `present` names this account's APIs.
 */
export function fakeGraphqlApis(pageSize = 4): ContractFixture {
  return appSyncFixture(
    (fake, resources) => {
      fake.addApi({ name: "contract-shared-from-partner", owner: "OTHER_ACCOUNTS" });
      resources.forEach((r, i) => {
        const api = fake.addApi({
          name: r.name,
          tags: { ...r.tags },
          dataSources: ["StudentsTable", "CoursesTable", "GradesLambda"],
          functions: ["getStudent", "listCourses"],
          apiKeys: Array.from({ length: 6 }, (_, k) => `da2-${i}-${k}`),
        });
        if (i % 2 === 1) fake.addDomain({ name: `api-${i}.contract.example.com`, apiId: api.id });
      });
    },
    (fake) => [...fake.apis.values()].filter((api) => api.owner === "CURRENT_ACCOUNT").map((api) => api.name),
    pageSize,
  );
}

/**
 * Custom domains, every odd one associated with a GraphQL API that stays
 * when the domain goes. `present` names the domains.
 */
export function fakeAppSyncDomains(pageSize = 4): ContractFixture {
  return appSyncFixture(
    (fake, resources) => {
      const api = fake.addApi({ name: "contract-graphql" });
      resources.forEach((r, i) => {
        fake.addDomain({ name: r.name, tags: { ...r.tags }, ...(i % 2 === 1 ? { apiId: api.id } : {}) });
      });
    },
    (fake) => [...fake.domains.keys()],
    pageSize,
  );
}
