import { definePlugin } from "@cleanup-runner/plugin-kit";
import { configurationSet } from "./resources/configuration-set.js";
import { contactList } from "./resources/contact-list.js";
import { dedicatedIpPool } from "./resources/dedicated-ip-pool.js";
import { emailIdentity } from "./resources/email-identity.js";
import { emailTemplate } from "./resources/email-template.js";

/** Amazon SES (v2 API): identities, configuration sets, templates, contact lists, dedicated IP pools. */
export default definePlugin({
  name: "ses",
  resources: [emailIdentity, configurationSet, emailTemplate, contactList, dedicatedIpPool],
});
