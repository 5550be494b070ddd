import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakePersonalizeFixture } from "../testing/index.js";
import { eventTracker } from "./event-tracker.js";

// Named <dataset group>/<event tracker>; a group holds one tracker, so each has its own group.
testResourceType(eventTracker, {
  fixture: fakePersonalizeFixture("eventTracker"),
  name: (i) => `contract-${i % 2 ? "beta" : "alpha"}-${String(i).padStart(3, "0")}/events`,
});
