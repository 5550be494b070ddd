import { CreateConfigurationSetCommand, GetConfigurationSetCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { startMoto, type Moto } from "@cleanup-runner/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { configurationSet } from "./configuration-set.js";

let moto: Moto;
let ses: SESv2Client;
const ctx = () => testContext({ endpoint: moto.endpoint, resource: configurationSet });

beforeAll(async () => {
  moto = await startMoto();
  ses = testContext({ endpoint: moto.endpoint }).client(SESv2Client);
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

describe("ses.configuration-set on moto", () => {
  it("deletes the selected set and leaves the decoy", async () => {
    await ses.send(
      new CreateConfigurationSetCommand({
        ConfigurationSetName: "student-config-set",
        Tags: [{ Key: "workshop", Value: "student-system" }],
      }),
    );
    await ses.send(new CreateConfigurationSetCommand({ ConfigurationSetName: "other-project-config-set" }));

    const sets = await collect(configurationSet.discover(ctx(), {}));
    expect(sets.map((s) => s.name).sort()).toEqual(["other-project-config-set", "student-config-set"]);
    const student = sets.find((s) => s.name === "student-config-set")!;
    expect(await configurationSet.readTags!(ctx(), student)).toEqual({ workshop: "student-system" });

    // moto 5.2 has no GetConfigurationSetEventDestinations: the plan then shows no destinations.
    await configurationSet.delete(ctx(), await configurationSet.describe!(ctx(), student));

    expect(await configurationSet.verify(ctx(), student)).toBe("gone");
    const decoy = await ses.send(new GetConfigurationSetCommand({ ConfigurationSetName: "other-project-config-set" }));
    expect(decoy.ConfigurationSetName).toBe("other-project-config-set");
  });
});
