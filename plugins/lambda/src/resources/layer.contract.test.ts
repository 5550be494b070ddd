import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeLambdaAccount } from "../testing/fake-lambda.js";
import { layer } from "./layer.js";

// Lambda layers cannot be tagged.
testResourceType(layer, { fixture: fakeLambdaAccount({ pageSize: 10 }).layers, count: 25, tags: false });
