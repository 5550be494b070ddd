import {
  DeleteContactListCommand,
  GetContactListCommand,
  SESv2Client,
  paginateListContactLists,
  type GetContactListCommandOutput,
} from "@aws-sdk/client-sesv2";
import {
  classifiedCall,
  classifiedPages,
  defineResource,
  readOrUndefined,
  tagRecord,
  type Found,
  type ResourceContext,
} from "@cleanup-runner/plugin-kit";
import { sesArn } from "../arns.js";

async function getContactList(ctx: ResourceContext, name: string) {
  return readOrUndefined(() => ctx.client(SESv2Client).send(new GetContactListCommand({ ContactListName: name })));
}

/** GetContactList answers read by readTags, kept for describe so a tag-selected list is read once. */
const readForTags = new WeakMap<Found, GetContactListCommandOutput>();

/** An SES contact list (list management), with its topics and contacts. */
export const contactList = defineResource({
  type: "ses.contact-list",
  description: "SES contact lists, with their topics and contacts.",
  scope: "regional",
  deletesWith: ["topics", "contacts"],

  async *discover(ctx) {
    const listing = paginateListContactLists({ client: ctx.client(SESv2Client) }, {});
    for await (const page of classifiedPages("ListContactLists", listing)) {
      for (const list of page.ContactLists ?? []) {
        if (!list.ContactListName) continue;
        yield {
          id: list.ContactListName,
          name: list.ContactListName,
          arn: sesArn(ctx, `contact-list/${list.ContactListName}`),
        };
      }
    }
  },

  async readTags(ctx, found) {
    const list = await getContactList(ctx, found.id);
    if (list) readForTags.set(found, list);
    return tagRecord(list?.Tags);
  },

  async describe(ctx, found) {
    const list = readForTags.get(found) ?? (await getContactList(ctx, found.id));
    if (!list) return found;
    const topics = (list.Topics ?? []).map((topic) => topic.TopicName);
    return {
      ...found,
      ...(list.CreatedTimestamp ? { createdAt: list.CreatedTimestamp.toISOString() } : {}),
      tags: found.tags ?? tagRecord(list.Tags),
      children: [
        { kind: "topics", count: topics.length, ...(topics.length ? { note: topics.join(", ") } : {}) },
        // Counting would mean listing every contact: a list can hold many.
        { kind: "contacts", note: "every contact of the list; not counted" },
      ],
    };
  },

  async delete(ctx, found) {
    await classifiedCall(`DeleteContactList ${found.id}`, () =>
      ctx.client(SESv2Client).send(new DeleteContactListCommand({ ContactListName: found.id })),
    );
  },

  async verify(ctx, found) {
    return (await getContactList(ctx, found.id)) ? "present" : "gone";
  },
});
