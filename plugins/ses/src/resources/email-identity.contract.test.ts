import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeSesAccount } from "../testing/fake-ses.js";
import { emailIdentity } from "./email-identity.js";

testResourceType(emailIdentity, { fixture: fakeSesAccount("identity"), count: 25 });
