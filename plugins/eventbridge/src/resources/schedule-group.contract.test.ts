import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { scheduleGroupFixture } from "../testing/contract-fixtures.js";
import { scheduleGroup } from "./schedule-group.js";

testResourceType(scheduleGroup, { fixture: scheduleGroupFixture(), count: 25 });
