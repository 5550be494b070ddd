import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { eventBusFixture } from "../testing/contract-fixtures.js";
import { eventBus } from "./event-bus.js";

testResourceType(eventBus, { fixture: eventBusFixture(), count: 25 });
