import type { Found } from "@cleanup-runner/plugin-kit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  globToRegExp,
  hintsFor,
  mayBeSelected,
  needsCreatedAt,
  needsTags,
  olderThanCutoff,
  selects,
  type Selector,
} from "./selector.js";

const NOW = Date.parse("2026-06-15T12:00:00Z");
const DAY = 86_400_000;
const found = (name: string, extra: Partial<Found> = {}): Found => ({ id: name, name, ...extra });
const daysAgo = (n: number) => new Date(NOW - n * DAY).toISOString();
const pick = (selector: Selector, items: Found[]) => items.filter((f) => selects(selector, f, NOW)).map((f) => f.name);

describe("selects, one condition at a time", () => {
  const items = [
    found("student-api"),
    found("student-db"),
    found("teacher-api"),
    found("student"),
    found("x.student-api"),
  ];

  it("names: exact names only", () => {
    expect(pick({ names: ["student-api", "teacher-api"] }, items)).toEqual(["student-api", "teacher-api"]);
    expect(pick({ names: ["student-ap"] }, items)).toEqual([]);
  });

  it("prefix", () => {
    expect(pick({ match: { prefix: "student-" } }, items)).toEqual(["student-api", "student-db"]);
  });

  it("suffix", () => {
    expect(pick({ match: { suffix: "-api" } }, items)).toEqual(["student-api", "teacher-api", "x.student-api"]);
  });

  it("glob: * any run, ? one character, whole name, regex characters literal", () => {
    expect(pick({ match: { glob: "student-*" } }, items)).toEqual(["student-api", "student-db"]);
    expect(pick({ match: { glob: "student-d?" } }, items)).toEqual(["student-db"]);
    expect(pick({ match: { glob: "*-api" } }, items)).toEqual(["student-api", "teacher-api", "x.student-api"]);
    // `.` is a literal dot, not any character
    expect(pick({ match: { glob: "x.student*" } }, [found("x.student-api"), found("xystudent-api")])).toEqual([
      "x.student-api",
    ]);
    expect(pick({ match: { glob: "student" } }, items)).toEqual(["student"]);
  });

  it("globToRegExp escapes regex syntax", () => {
    expect(globToRegExp("a+b(c)[d]{e}|f^$\\").test("a+b(c)[d]{e}|f^$\\")).toBe(true);
    expect(globToRegExp("a+b").test("aab")).toBe(false);
  });

  it("regex: JavaScript syntax, anywhere in the name unless anchored", () => {
    expect(pick({ match: { regex: "^student-(api|db)$" } }, items)).toEqual(["student-api", "student-db"]);
    expect(pick({ match: { regex: "dent-a" } }, items)).toEqual(["student-api", "x.student-api"]);
  });

  it("tags: every listed tag present with that value; * = any value", () => {
    const tagged = [
      found("a", { tags: { workshop: "student-system", owner: "k18" } }),
      found("b", { tags: { workshop: "student-system" } }),
      found("c", { tags: { workshop: "other", owner: "k18" } }),
      found("d", { tags: {} }),
      found("e"),
    ];
    expect(pick({ match: { tags: { workshop: "student-system" } } }, tagged)).toEqual(["a", "b"]);
    expect(pick({ match: { tags: { workshop: "student-system", owner: "k18" } } }, tagged)).toEqual(["a"]);
    expect(pick({ match: { tags: { owner: "*" } } }, tagged)).toEqual(["a", "c"]);
    expect(pick({ match: { tags: { workshop: "*" } } }, tagged)).toEqual(["a", "b", "c"]);
  });

  it("tags: a tag named like an Object.prototype member is not present unless set", () => {
    const items = [found("plain", { tags: {} }), found("set", { tags: { constructor: "x" } })];
    expect(pick({ match: { tags: { constructor: "*" } } }, items)).toEqual(["set"]);
    expect(pick({ match: { tags: { toString: "*" } } }, items)).toEqual([]);
  });

  it("olderThan: durations", () => {
    const aged = [found("new", { createdAt: daysAgo(1) }), found("old", { createdAt: daysAgo(10) })];
    expect(pick({ match: { olderThan: "7d" } }, aged)).toEqual(["old"]);
    expect(pick({ match: { olderThan: "12h" } }, aged)).toEqual(["new", "old"]);
    expect(pick({ match: { olderThan: "1w2d" } }, aged)).toEqual(["old"]); // 9 days
    expect(pick({ match: { olderThan: "2w" } }, aged)).toEqual([]);
  });

  it("olderThan: a date", () => {
    const aged = [found("a", { createdAt: "2026-01-30T23:59:59Z" }), found("b", { createdAt: "2026-01-31T00:00:01Z" })];
    expect(pick({ match: { olderThan: "2026-01-31" } }, aged)).toEqual(["a"]);
  });

  it("olderThan: unknown age is read the safe way, neither selected by match nor released by exclude", () => {
    expect(selects({ match: { olderThan: "1s" } }, found("x"), NOW)).toBe(false);
    // `exclude: { olderThan }` keeps old resources: one whose age is unknown may be old, so it is kept too.
    expect(selects({ match: { all: true }, exclude: { olderThan: "30d" } }, found("x"), NOW)).toBe(false);
    expect(
      selects({ match: { all: true }, exclude: { olderThan: "30d" } }, found("x", { createdAt: daysAgo(1) }), NOW),
    ).toBe(true);
  });

  it("olderThanCutoff sums units", () => {
    expect(olderThanCutoff("1w2d3h4m5s", NOW)).toBe(NOW - (9 * DAY + 3 * 3_600_000 + 4 * 60_000 + 5_000));
    expect(olderThanCutoff("2026-01-31", NOW)).toBe(Date.parse("2026-01-31"));
  });

  it("all: every resource of the type", () => {
    expect(pick({ match: { all: true } }, items)).toEqual(items.map((f) => f.name));
  });
});

describe("selects, combined", () => {
  it("all match conditions must hold (AND)", () => {
    const items = [
      found("student-api", { tags: { env: "dev" }, createdAt: daysAgo(30) }),
      found("student-db", { tags: { env: "dev" }, createdAt: daysAgo(30) }),
      found("student-api2", { tags: { env: "prod" }, createdAt: daysAgo(30) }),
      found("student-api3", { tags: { env: "dev" }, createdAt: daysAgo(1) }),
    ];
    const selector: Selector = {
      match: { prefix: "student-", glob: "*api*", tags: { env: "dev" }, olderThan: "7d" },
    };
    expect(pick(selector, items)).toEqual(["student-api"]);
  });

  it("names AND match", () => {
    const items = [found("a-1"), found("a-2"), found("b-1")];
    expect(pick({ names: ["a-1", "b-1"], match: { prefix: "a-" } }, items)).toEqual(["a-1"]);
  });

  it("exclude leaves alone what matches all of its conditions", () => {
    const items = [
      found("student-keep", { tags: { keep: "yes" } }),
      found("student-keep2", { tags: {} }),
      found("student-x", { tags: { keep: "yes" } }),
    ];
    // both conditions must hold to exclude
    expect(
      pick({ match: { prefix: "student-" }, exclude: { prefix: "student-keep", tags: { keep: "yes" } } }, items),
    ).toEqual(["student-keep2", "student-x"]);
    expect(pick({ match: { prefix: "student-" }, exclude: { names: ["student-x"] } }, items)).toEqual([
      "student-keep",
      "student-keep2",
    ]);
  });

  it("an empty exclude excludes nothing", () => {
    expect(selects({ match: { all: true }, exclude: {} }, found("a"), NOW)).toBe(true);
  });

  it("no selector selects nothing", () => {
    expect(selects({}, found("a"), NOW)).toBe(false);
    expect(selects({ exclude: { names: ["b"] } }, found("a"), NOW)).toBe(false);
  });
});

describe("first pass and hints", () => {
  it("mayBeSelected checks only names and name conditions", () => {
    const s: Selector = { names: ["a-1", "b-1"], match: { prefix: "a-", tags: { x: "y" }, olderThan: "1d" } };
    expect(mayBeSelected(s, "a-1")).toBe(true);
    expect(mayBeSelected(s, "b-1")).toBe(false);
    expect(mayBeSelected(s, "a-2")).toBe(false);
    expect(mayBeSelected({ match: { regex: "^x" } }, "xy")).toBe(true);
    expect(mayBeSelected({ match: { regex: "^x" } }, "yx")).toBe(false);
  });

  it("needsTags / needsCreatedAt look at match and exclude", () => {
    expect(needsTags({ match: { prefix: "a" } })).toBe(false);
    expect(needsTags({ match: { tags: { a: "b" } } })).toBe(true);
    expect(needsTags({ names: ["a"], exclude: { tags: { a: "b" } } })).toBe(true);
    expect(needsCreatedAt({ match: { prefix: "a" } })).toBe(false);
    expect(needsCreatedAt({ match: { olderThan: "1d" } })).toBe(true);
    expect(needsCreatedAt({ names: ["a"], exclude: { olderThan: "1d" } })).toBe(true);
  });

  it("hintsFor passes names and the longest prefix every selected name has", () => {
    // names AND match: both prefixes must hold, so the longer one is a safe hint.
    expect(hintsFor({ names: ["a"], match: { prefix: "p-", suffix: "x" } })).toEqual({ names: ["a"], prefix: "p-" });
    expect(hintsFor({ names: ["p-abc"], match: { prefix: "p-" } })).toEqual({ names: ["p-abc"], prefix: "p-abc" });
    expect(hintsFor({ names: ["/aws/lambda/student-fn-001", "/aws/lambda/student-fn-002"] })).toEqual({
      names: ["/aws/lambda/student-fn-001", "/aws/lambda/student-fn-002"],
      prefix: "/aws/lambda/student-fn-00",
    });
    expect(hintsFor({ names: ["/a", "b"] })).toEqual({ names: ["/a", "b"] });
    expect(hintsFor({ match: { glob: "a*" } })).toEqual({});
  });
});

describe("selects, property", () => {
  const word = fc.string({ unit: fc.constantFrom("a", "b", "-", "."), maxLength: 6 });
  const tagKey = fc.constantFrom("env", "owner", "constructor", "toString");
  const tags = fc.dictionary(tagKey, fc.constantFrom("dev", "prod", "*"), { maxKeys: 3 });
  const conditions = fc.record(
    {
      prefix: word.filter((w) => w.length > 0),
      suffix: word.filter((w) => w.length > 0),
      glob: fc.string({ unit: fc.constantFrom("a", "b", "*", "?", "."), minLength: 1, maxLength: 5 }),
      regex: fc.constantFrom("^a", "b$", "a.b", "-"),
      tags,
      olderThan: fc.constantFrom("1d", "7d", "2w", "2026-06-01"),
    },
    { requiredKeys: [] },
  );
  const resource = fc.record({
    name: word,
    tags: fc.option(fc.dictionary(tagKey, fc.constantFrom("dev", "prod"), { maxKeys: 3 }), { nil: undefined }),
    age: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
  });

  /** The spec, written independently of selector.ts. */
  /** An independent glob matcher (no regex): `*` any run, `?` one character. */
  function globMatches(glob: string, name: string): boolean {
    if (glob === "") return name === "";
    if (glob[0] === "*")
      return [...Array(name.length + 1).keys()].some((i) => globMatches(glob.slice(1), name.slice(i)));
    if (name === "") return false;
    return (glob[0] === "?" || glob[0] === name[0]) && globMatches(glob.slice(1), name.slice(1));
  }

  /** `unknownAgeIsOld`: false when `c` is a match (an unknown is not selected), true for an exclude (it is kept). */
  function holds(
    c: Record<string, unknown>,
    r: { name: string; tags?: Record<string, string>; age?: number },
    unknownAgeIsOld = false,
  ) {
    const checks: boolean[] = [];
    if (c.names) checks.push((c.names as string[]).includes(r.name));
    if (c.prefix !== undefined) checks.push(r.name.startsWith(c.prefix as string));
    if (c.suffix !== undefined) checks.push(r.name.endsWith(c.suffix as string));
    if (c.glob !== undefined) checks.push(globMatches(c.glob as string, r.name));
    if (c.regex !== undefined) checks.push(new RegExp(c.regex as string).test(r.name));
    if (c.tags) {
      for (const [k, v] of Object.entries(c.tags as Record<string, string>)) {
        const own = r.tags !== undefined && Object.hasOwn(r.tags, k);
        checks.push(own && (v === "*" || r.tags![k] === v));
      }
    }
    if (c.olderThan !== undefined) {
      const limitDays = { "1d": 1, "7d": 7, "2w": 14, "2026-06-01": 14.5 }[c.olderThan as string]!;
      checks.push(r.age === undefined ? unknownAgeIsOld : r.age > limitDays);
    }
    return checks.every(Boolean);
  }

  it("selected only when names and every match condition hold, never when excluded", () => {
    fc.assert(
      fc.property(
        fc.option(fc.array(word, { minLength: 1, maxLength: 3 }), { nil: undefined }),
        fc.option(conditions, { nil: undefined }),
        fc.option(
          fc
            .record({ names: fc.option(fc.array(word, { minLength: 1, maxLength: 2 }), { nil: undefined }) })
            .chain(({ names }) => conditions.map((c) => ({ ...c, ...(names ? { names } : {}) }))),
          { nil: undefined },
        ),
        resource,
        (names, match, exclude, r) => {
          const selector: Selector = {
            ...(names ? { names } : {}),
            ...(match ? { match } : {}),
            ...(exclude ? { exclude } : {}),
          };
          const f = found(r.name, {
            ...(r.tags ? { tags: r.tags } : {}),
            ...(r.age !== undefined ? { createdAt: new Date(NOW - r.age * DAY).toISOString() } : {}),
          });
          const selected = selects(selector, f, NOW);
          const excluded = exclude !== undefined && Object.keys(exclude).length > 0 && holds(exclude, r, true);
          const expected =
            (names !== undefined || match !== undefined) &&
            (names === undefined || names.includes(r.name)) &&
            (match === undefined || holds(match, r)) &&
            !excluded;
          expect(selected).toBe(expected);
          if (selected) expect(mayBeSelected(selector, r.name)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("tags and age alone: selected exactly when every tag and the age condition hold", () => {
    const tagsAndAge = fc.record(
      { tags, olderThan: fc.constantFrom("1d", "7d", "2w", "2026-06-01") },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(tagsAndAge, resource, (match, r) => {
        const f = found(r.name, {
          ...(r.tags ? { tags: { ...r.tags } } : {}),
          ...(r.age !== undefined ? { createdAt: new Date(NOW - r.age * DAY).toISOString() } : {}),
        });
        const selector: Selector = { match: { ...match, all: true } };
        expect(selects(selector, f, NOW)).toBe(holds(match, r));
        expect(selects({ match: { all: true }, exclude: match }, f, NOW)).toBe(
          Object.keys(match).length === 0 || !holds(match, r, true),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
