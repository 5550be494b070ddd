import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakePersonalizeFixture } from "../testing/index.js";
import { dataset } from "./dataset.js";

// Named <dataset group>/<dataset>; three datasets (interactions, items, users) to a group.
testResourceType(dataset, {
  fixture: fakePersonalizeFixture("dataset"),
  name: (i) =>
    `contract-group-${String(Math.floor(i / 3)).padStart(3, "0")}/${["interactions", "items", "users"][i % 3]}`,
});
