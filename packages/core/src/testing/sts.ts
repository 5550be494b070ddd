import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { ACCOUNT } from "./fake-cloud.js";

/** Mocks STS so that every session's identity is the test account; returns the mock. */
export function mockSts(account = ACCOUNT) {
  const sts = mockClient(STSClient);
  sts.on(GetCallerIdentityCommand).resolves({ Account: account, Arn: `arn:aws:iam::${account}:user/t` });
  return sts;
}
