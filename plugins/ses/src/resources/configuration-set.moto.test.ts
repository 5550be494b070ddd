import { CreateConfigurationSetCommand, GetConfigurationSetCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { configurationSet } from "./configuration-set.js";

const moto = useMoto();
const ses = () => moto.client(SESv2Client);
const ctx = () => moto.context({ resource: configurationSet });

describe("ses.configuration-set on moto", () => {
  it("deletes the selected set and leaves the decoy", async () => {
    await ses().send(
      new CreateConfigurationSetCommand({
        ConfigurationSetName: "student-config-set",
        Tags: [{ Key: "workshop", Value: "student-system" }],
      }),
    );
    await ses().send(new CreateConfigurationSetCommand({ ConfigurationSetName: "other-project-config-set" }));

    const sets = await collect(configurationSet.discover(ctx(), {}));
    expect(sets.map((s) => s.name).sort()).toEqual(["other-project-config-set", "student-config-set"]);
    const student = sets.find((s) => s.name === "student-config-set")!;
    expect(await configurationSet.readTags!(ctx(), student)).toEqual({ workshop: "student-system" });

    // moto 5.2 has no GetConfigurationSetEventDestinations: the plan then shows no destinations.
    await configurationSet.delete(ctx(), await configurationSet.describe!(ctx(), student));

    expect(await configurationSet.verify(ctx(), student)).toBe("gone");
    const decoy = await ses().send(
      new GetConfigurationSetCommand({ ConfigurationSetName: "other-project-config-set" }),
    );
    expect(decoy.ConfigurationSetName).toBe("other-project-config-set");
  });
});
