import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeLogsAccount } from "../testing/fake-logs.js";
import { logGroup } from "./log-group.js";

testResourceType(logGroup, {
  fixture: fakeLogsAccount(),
  name: (i) => `/aws/lambda/contract-${i % 2 ? "beta" : "alpha"}-${i}`,
});
