import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { scheduleFixture } from "../testing/contract-fixtures.js";
import { schedule } from "./schedule.js";

testResourceType(schedule, { fixture: scheduleFixture(), count: 25, tags: false });
