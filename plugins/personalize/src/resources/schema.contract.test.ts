import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakePersonalizeFixture } from "../testing/index.js";
import { schema } from "./schema.js";

testResourceType(schema, { fixture: fakePersonalizeFixture("schema"), tags: false });
