import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeSesAccount } from "../testing/fake-ses.js";
import { configurationSet } from "./configuration-set.js";

testResourceType(configurationSet, { fixture: fakeSesAccount("configuration-set"), count: 25 });
