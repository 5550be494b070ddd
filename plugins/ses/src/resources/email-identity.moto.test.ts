import { CreateEmailIdentityCommand, GetEmailIdentityCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { emailIdentity } from "./email-identity.js";

const moto = useMoto();
const ses = () => moto.client(SESv2Client);
const ctx = () => moto.context({ resource: emailIdentity });

const identityExists = (name: string) =>
  ses()
    .send(new GetEmailIdentityCommand({ EmailIdentity: name }))
    .then(
      () => true,
      () => false,
    );

describe("ses.email-identity on moto", () => {
  it("deletes the selected domain and address, and leaves the decoy domain", async () => {
    await ses().send(
      new CreateEmailIdentityCommand({
        EmailIdentity: "student.example.com",
        Tags: [{ Key: "workshop", Value: "student-system" }],
      }),
    );
    await ses().send(new CreateEmailIdentityCommand({ EmailIdentity: "noreply@student.example.com" }));
    await ses().send(new CreateEmailIdentityCommand({ EmailIdentity: "other-project.example.com" }));

    const identities = await collect(emailIdentity.discover(ctx(), {}));
    expect(identities.map((i) => `${i.name} ${i.details!.identityType as string}`).sort()).toEqual([
      "noreply@student.example.com EMAIL_ADDRESS",
      "other-project.example.com DOMAIN",
      "student.example.com DOMAIN",
    ]);
    const selected = identities.filter((i) => i.name.endsWith("student.example.com"));
    expect(
      await emailIdentity.readTags!(
        ctx(),
        selected.find((i) => i.name === "student.example.com")!,
      ),
    ).toEqual({
      workshop: "student-system",
    });

    for (const found of selected) {
      const planned = await emailIdentity.describe!(ctx(), found);
      await emailIdentity.delete(ctx(), planned);
      expect(await emailIdentity.verify(ctx(), planned)).toBe("gone");
    }

    expect(await identityExists("student.example.com")).toBe(false);
    expect(await identityExists("noreply@student.example.com")).toBe(false);
    expect(await identityExists("other-project.example.com")).toBe(true);
  });
});
