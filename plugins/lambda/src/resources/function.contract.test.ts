import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeLambdaAccount } from "../testing/fake-lambda.js";
import { lambdaFunction } from "./function.js";

testResourceType(lambdaFunction, { fixture: fakeLambdaAccount({ pageSize: 10 }).functions, count: 25 });
