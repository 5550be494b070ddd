import { KIT_VERSION, definePlugin, type Plugin } from "@cleanup-runner/plugin-kit";
import { describe, expect, it } from "vitest";
import { Registry } from "./registry.js";
import { FakeCloud, fakeType } from "./testing/fake-cloud.js";

const cloud = new FakeCloud();
const s3 = definePlugin({ name: "s3", resources: [fakeType(cloud, { type: "s3.bucket" })] });
const logs = definePlugin({
  name: "logs",
  resources: [fakeType(cloud, { type: "logs.log-group" }), fakeType(cloud, { type: "logs.destination" })],
});

describe("Registry", () => {
  it("knows each type and its plugin; lists them sorted", () => {
    const registry = new Registry([s3, logs]);
    expect(registry.get("s3.bucket")).toBe(s3.resources[0]);
    expect(registry.pluginOf("logs.log-group")).toBe("logs");
    expect(registry.get("s3.nope")).toBeUndefined();
    expect(registry.pluginOf("s3.nope")).toBeUndefined();
    expect(registry.names()).toEqual(["logs.destination", "logs.log-group", "s3.bucket"]);
    expect(registry.types().map((t) => t.type)).toEqual(registry.names());
  });

  it("refuses a type two plugins declare", () => {
    const other = definePlugin({ name: "my-s3", resources: [fakeType(cloud, { type: "s3.bucket" })] });
    expect(() => new Registry([s3, other])).toThrow(
      "plugin my-s3 declares s3.bucket, which plugin s3 already declares",
    );
    const registry = new Registry([s3]);
    expect(() => registry.add(other)).toThrow(/already declares/);
  });

  it("refuses a poll interval or deadline that is not a number of ms above 0", () => {
    for (const [field, value] of [
      ["pollIntervalMs", 0],
      ["pollIntervalMs", -5],
      ["deadlineMs", Number.NaN],
    ] as const) {
      const bad = definePlugin({
        name: "bad",
        resources: [{ ...fakeType(cloud, { type: "bad.thing" }), [field]: value }],
      });
      expect(() => new Registry([bad])).toThrow(
        `plugin bad: bad.thing ${field} is ${value}; it must be a number of ms above 0`,
      );
    }
    const fine = definePlugin({
      name: "fine",
      resources: [{ ...fakeType(cloud, { type: "fine.thing" }), pollIntervalMs: 1, deadlineMs: 60_000 }],
    });
    expect(new Registry([fine]).get("fine.thing")).toBeDefined();
  });

  it("refuses a plugin written for another kit version", () => {
    const old: Plugin = { ...s3, name: "old", kitVersion: KIT_VERSION + 1 };
    expect(() => new Registry([old])).toThrow(
      `plugin old was written for plugin-kit v${KIT_VERSION + 1}, this runner speaks v${KIT_VERSION}`,
    );
  });
});
