import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { ruleFixture } from "../testing/contract-fixtures.js";
import { rule } from "./rule.js";

testResourceType(rule, { fixture: ruleFixture(), count: 25 });
