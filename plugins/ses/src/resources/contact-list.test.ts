import {
  DeleteContactListCommand,
  GetContactListCommand,
  ListContactListsCommand,
  NotFoundException,
  SESv2Client,
} from "@aws-sdk/client-sesv2";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { contactList } from "./contact-list.js";

const ses = mockClient(SESv2Client);
const ctx = () => testContext({ resource: contactList });
const meta = { $metadata: {} };
const list = { id: "student-newsletter", name: "student-newsletter" };

beforeEach(() => {
  ses.reset();
});

describe("ses.contact-list", () => {
  it("lists every page", async () => {
    ses
      .on(ListContactListsCommand)
      .resolvesOnce({ ContactLists: [{ ContactListName: "student-newsletter" }], NextToken: "p2" })
      .resolvesOnce({ ContactLists: [{ ContactListName: "other-project-list" }] });

    const lists = await collect(contactList.discover(ctx(), {}));

    expect(lists.map((l) => l.arn)).toEqual([
      "arn:aws:ses:us-east-1:123456789012:contact-list/student-newsletter",
      "arn:aws:ses:us-east-1:123456789012:contact-list/other-project-list",
    ]);
  });

  it("reads tags and the plan with one GetContactList: topics counted, contacts not", async () => {
    ses.on(GetContactListCommand, { ContactListName: list.id }).resolves({
      ContactListName: list.id,
      CreatedTimestamp: new Date("2024-01-03T00:00:00Z"),
      Topics: [
        { TopicName: "grades", DisplayName: "Grades", DefaultSubscriptionStatus: "OPT_IN" },
        { TopicName: "events", DisplayName: "Events", DefaultSubscriptionStatus: "OPT_OUT" },
      ],
      Tags: [{ Key: "workshop", Value: "student-system" }],
    });
    const candidate = { ...list };

    expect(await contactList.readTags!(ctx(), candidate)).toEqual({ workshop: "student-system" });
    const planned = await contactList.describe!(ctx(), candidate);

    expect(ses).toHaveReceivedCommandTimes(GetContactListCommand, 1);
    expect(planned.createdAt).toBe("2024-01-03T00:00:00.000Z");
    expect(planned.children).toEqual([
      { kind: "topics", count: 2, note: "grades, events" },
      { kind: "contacts", note: expect.stringContaining("not counted") },
    ]);
  });

  it("deletes, counts a rerun as gone, and verifies", async () => {
    ses
      .on(DeleteContactListCommand)
      .resolvesOnce({})
      .rejects(new NotFoundException({ message: "List with name: student-newsletter doesn't exist", ...meta }));
    ses.on(GetContactListCommand).rejects(new NotFoundException({ message: "not found", ...meta }));

    await contactList.delete(ctx(), list);
    await expect(contactList.delete(ctx(), list)).rejects.toMatchObject({ kind: "not-found" });
    expect(await contactList.verify(ctx(), list)).toBe("gone");
  });
});
