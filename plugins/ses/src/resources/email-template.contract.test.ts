import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeSesAccount } from "../testing/fake-ses.js";
import { emailTemplate } from "./email-template.js";

testResourceType(emailTemplate, { fixture: fakeSesAccount("template"), count: 25 });
