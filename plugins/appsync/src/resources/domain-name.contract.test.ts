import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeAppSyncDomains } from "../testing/contract-fixtures.js";
import { domainName } from "./domain-name.js";

testResourceType(domainName, {
  fixture: fakeAppSyncDomains(),
  name: (i) => `${i % 2 ? "beta" : "alpha"}-${String(i).padStart(3, "0")}.graphql.example.com`,
});
