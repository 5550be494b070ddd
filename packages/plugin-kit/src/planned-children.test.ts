import { describe, expect, it } from "vitest";
import { deleteWithPlannedChildren, isStringArray, recordedStrings } from "./planned-children.js";

class Conflict extends Error {}
const isConflict = (error: unknown) => error instanceof Conflict;

describe("deleteWithPlannedChildren", () => {
  it("deletes with the plan's children, reading nothing", async () => {
    let reads = 0;
    const attempts: string[][] = [];
    await deleteWithPlannedChildren(
      ["a", "b"],
      async () => (reads++, ["fresh"]),
      async (children) => void attempts.push(children),
      isConflict,
    );
    expect(reads).toBe(0);
    expect(attempts).toEqual([["a", "b"]]);
  });

  it("reads the children fresh when the plan holds none", async () => {
    const attempts: string[][] = [];
    await deleteWithPlannedChildren(
      undefined,
      async () => ["fresh"],
      async (children) => void attempts.push(children),
      isConflict,
    );
    expect(attempts).toEqual([["fresh"]]);
  });

  it("after a refusal for children the plan did not see, reads them fresh and attempts once more", async () => {
    const attempts: string[][] = [];
    await deleteWithPlannedChildren(
      ["a"],
      async () => ["a", "new"],
      async (children) => {
        attempts.push(children);
        if (!children.includes("new")) throw new Conflict("DeleteConflict");
      },
      isConflict,
    );
    expect(attempts).toEqual([["a"], ["a", "new"]]);
  });

  it("passes on any other error without reading, and a second refusal", async () => {
    let reads = 0;
    const other = deleteWithPlannedChildren(
      ["a"],
      async () => (reads++, ["a"]),
      async () => {
        throw new Error("throttled");
      },
      isConflict,
    );
    await expect(other).rejects.toThrow("throttled");
    expect(reads).toBe(0);

    let attempts = 0;
    const twice = deleteWithPlannedChildren(
      ["a"],
      async () => (reads++, ["a"]),
      async () => {
        attempts++;
        throw new Conflict("still refused");
      },
      isConflict,
    );
    await expect(twice).rejects.toThrow("still refused");
    expect([reads, attempts]).toEqual([1, 2]);
  });
});

describe("isStringArray and recordedStrings", () => {
  it("accept a list of strings, and nothing else a plan file may hold", () => {
    expect(isStringArray(["a", "b"])).toBe(true);
    expect(isStringArray([])).toBe(true);
    for (const value of [undefined, null, "a", 1, {}, ["a", 1], [null]]) {
      expect(isStringArray(value)).toBe(false);
      expect(recordedStrings(value)).toBeUndefined();
    }
    expect(recordedStrings(["x"])).toEqual(["x"]);
  });
});
