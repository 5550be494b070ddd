import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeDomainNames } from "../testing/contract-fixtures.js";
import { domainName } from "./domain-name.js";

testResourceType(domainName, {
  fixture: fakeDomainNames(),
  name: (i) => `${i % 2 ? "beta" : "alpha"}-${String(i).padStart(3, "0")}.contract.example.com`,
});
