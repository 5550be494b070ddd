import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeTopicAccount } from "../testing/fake-sns.js";
import { topic } from "./topic.js";

testResourceType(topic, { fixture: fakeTopicAccount() });
