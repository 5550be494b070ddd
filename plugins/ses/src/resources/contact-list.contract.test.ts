import { testResourceType } from "@cleanup-runner/plugin-kit/contract";
import { fakeSesAccount } from "../testing/fake-ses.js";
import { contactList } from "./contact-list.js";

testResourceType(contactList, { fixture: fakeSesAccount("contact-list"), count: 25 });
