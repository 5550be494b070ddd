import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Type } from "@sinclair/typebox";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Registry } from "../registry.js";
import { FakeCloud, fakeType, registryOf } from "../testing/fake-cloud.js";
import { loadManifest, type LoadOptions, type LoadResult, type ResolvedManifest } from "./load.js";
import { formatProblem, type Problem } from "./problems.js";

const cloud = new FakeCloud();
const registry: Registry = registryOf(
  fakeType(cloud, {
    type: "fake.bucket",
    options: Type.Object({
      force: Type.Boolean({ default: false, description: "empty it first" }),
      batchSize: Type.Number({ default: 1000 }),
    }),
  }),
  fakeType(cloud, { type: "fake.table" }),
  fakeType(cloud, { type: "other.role", scope: "global" }),
);

let dir: string;
let registryCalls: { plugins: readonly string[]; file: string }[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "manifest-test-"));
  registryCalls = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a file under the temp dir (lines joined with \n) and returns its path. */
async function write(name: string, ...lines: string[]): Promise<string> {
  const file = join(dir, name);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, lines.join("\n") + "\n");
  return file;
}

function load(file: string, options: Partial<LoadOptions> = {}): Promise<LoadResult> {
  return loadManifest(file, {
    env: {},
    async registryFor(plugins, manifestFile) {
      registryCalls.push({ plugins, file: manifestFile });
      return { registry };
    },
    ...options,
  });
}

async function ok(file: string, options: Partial<LoadOptions> = {}): Promise<ResolvedManifest> {
  const result = await load(file, options);
  if (!result.ok) throw new Error(`expected a valid manifest, got:\n${result.problems.map(formatProblem).join("\n")}`);
  return result.manifest;
}

async function problems(file: string, options: Partial<LoadOptions> = {}): Promise<Problem[]> {
  const result = await load(file, options);
  if (result.ok) throw new Error("expected problems, the manifest loaded");
  return result.problems;
}

const head = ["apiVersion: cleanup-runner/v1", "name: test"];

describe("a valid manifest", () => {
  it("resolves entries with types, selectors, defaults and sources", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "description: the workshop",
      "target:",
      "  regions: [ap-southeast-1, us-east-1]",
      '  accounts: ["123456789012"]',
      "  profile: workshop",
      "resources:",
      "  - service: fake",
      "    type: bucket",
      "    description: buckets",
      "    match: { prefix: student-, tags: { a: b } }",
      "    exclude: { names: [student-keep] }",
      "    options: { force: true }",
      "  - service: fake",
      "    type: table",
      "    names: [t1, t2]",
    );
    const m = await ok(file);
    expect(m.file).toBe(file);
    expect(m.name).toBe("test");
    expect(m.description).toBe("the workshop");
    expect(m.regions).toEqual(["ap-southeast-1", "us-east-1"]);
    expect(m.accounts).toEqual(["123456789012"]);
    expect(m.profile).toBe("workshop");
    expect(m.plugins).toEqual([]);
    expect(m.entries).toEqual([
      {
        index: 0,
        type: "fake.bucket",
        match: { prefix: "student-", tags: { a: "b" } },
        exclude: { names: ["student-keep"] },
        options: { force: true, batchSize: 1000 },
        source: { file, line: 9, col: 5 },
        description: "buckets",
      },
      { index: 1, type: "fake.table", names: ["t1", "t2"], options: {}, source: { file, line: 15, col: 5 } },
    ]);
    expect(registryCalls).toEqual([{ plugins: [], file }]);
  });

  it("a missing file is a problem, not a throw", async () => {
    const p = await problems(join(dir, "nope.yaml"));
    expect(p).toEqual([{ path: "", message: `${join(dir, "nope.yaml")}: no such file` }]);
  });

  it("a manifest that is not a mapping", async () => {
    const p = await problems(await write("m.yaml", "- a", "- b"));
    expect(p[0]!.message).toMatch(/must be a YAML mapping/);
  });
});

describe("located problems", () => {
  it("a YAML syntax error names file:line:col", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "resources:",
      "  - service: fake",
      "    type: [bucket",
      "    names: [a]",
    );
    const p = await problems(file);
    expect(p).toHaveLength(1);
    expect(p[0]!.message).toMatch(/^YAML syntax: /);
    expect(p[0]!.pos?.file).toBe(file);
    expect(p[0]!.pos?.line).toBeGreaterThanOrEqual(5);
    expect(formatProblem(p[0]!)).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+  `));
    expect(registryCalls).toEqual([]); // nothing loaded before the file is valid
  });

  it("a duplicate key is a syntax error at its line", async () => {
    const file = await write("m.yaml", ...head, "name: again", "resources: []");
    const p = await problems(file);
    expect(p[0]!.pos).toMatchObject({ file, line: 3 });
  });

  it("an unknown property: at the key, with a did-you-mean hint", async () => {
    const file = await write("m.yaml", ...head, "resources:", "  - service: fake", "    type: bucket", "    nmes: [a]");
    const p = await problems(file);
    expect(p).toEqual([
      {
        pos: { file, line: 6, col: 5 },
        path: "resources[0].nmes",
        message: 'unknown property "nmes"',
        hint: 'did you mean "names"?',
      },
    ]);
    expect(formatProblem(p[0]!)).toBe(
      `${file}:6:5  resources[0].nmes  unknown property "nmes" (did you mean "names"?)`,
    );
  });

  it("an unknown top-level property and a wrong apiVersion", async () => {
    const file = await write("m.yaml", "apiVersion: cleanup-runner/v2", "name: test", "resorces: []");
    const p = await problems(file);
    expect(p).toContainEqual({
      pos: { file, line: 3, col: 1 },
      path: "resorces",
      message: 'unknown property "resorces"',
      hint: 'did you mean "resources"?',
    });
    expect(p).toContainEqual({
      pos: { file, line: 1, col: 13 },
      path: "apiVersion",
      message: 'must be "cleanup-runner/v1"',
      hint: 'did you mean "cleanup-runner/v1"?',
    });
    expect(p).toContainEqual(expect.objectContaining({ path: "", message: expect.stringMatching(/resources/) }));
  });

  it("a missing selector", async () => {
    const file = await write("m.yaml", ...head, "resources:", "  - service: fake", "    type: bucket");
    const p = await problems(file);
    expect(p).toEqual([
      {
        pos: { file, line: 4, col: 5 },
        path: "resources[0]",
        message: "no selector: say which resources with `names` and/or `match`",
        hint: "to select every resource of the type, write `match: { all: true }`",
      },
    ]);
  });

  it("an empty match", async () => {
    const file = await write("m.yaml", ...head, "resources:", "  - service: fake", "    type: bucket", "    match: {}");
    const p = await problems(file);
    expect(p).toEqual([
      {
        pos: { file, line: 6, col: 12 },
        path: "resources[0].match",
        message: "empty match selects nothing",
        hint: "add a condition, or `all: true`",
      },
    ]);
  });

  it("a regex that does not compile, in match and in exclude", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "resources:",
      "  - service: fake",
      "    type: bucket",
      '    match: { regex: "student-(" }',
      '    exclude: { regex: "[" }',
    );
    const p = await problems(file);
    expect(p).toHaveLength(2);
    expect(p[0]).toMatchObject({
      pos: { file, line: 6, col: 21 },
      path: "resources[0].match.regex",
      message: expect.stringMatching(/^invalid regular expression: /),
    });
    expect(p[1]).toMatchObject({ pos: { file, line: 7, col: 23 }, path: "resources[0].exclude.regex" });
  });

  it("an olderThan date that is no date, in match and in exclude", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "resources:",
      "  - service: fake",
      "    type: bucket",
      "    match: { olderThan: 2026-13-45 }",
      "    exclude: { olderThan: 2026-02-31x }",
      "  - { service: fake, type: table, match: { olderThan: 2026-01-31 } }",
      "  - { service: fake, type: table, match: { olderThan: 1w2d } }",
    );
    const p = await problems(file);
    expect(p).toEqual([
      {
        pos: { file, line: 6, col: 25 },
        path: "resources[0].match.olderThan",
        message: '"2026-13-45" is not a valid date',
        hint: "write a date as YYYY-MM-DD, or an age like 7d",
      },
      expect.objectContaining({ pos: { file, line: 7, col: 27 }, path: "resources[0].exclude.olderThan" }),
    ]);
  });

  it("an unknown service: known types in the hint", async () => {
    const file = await write("m.yaml", ...head, "resources:", "  - service: s4", "    type: bucket", "    names: [a]");
    const p = await problems(file);
    expect(p).toEqual([
      {
        pos: { file, line: 4, col: 14 },
        path: "resources[0].service",
        message: 'unknown service "s4"',
        hint: "known types: fake.bucket, fake.table, other.role; other services need a plugin (plugins: in the manifest)",
      },
    ]);
  });

  it("an unknown type of a known service: did you mean", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "resources:",
      "  - service: fake",
      "    type: buckets",
      "    names: [a]",
    );
    const p = await problems(file);
    expect(p).toEqual([
      {
        pos: { file, line: 5, col: 11 },
        path: "resources[0].type",
        message: 'unknown type "buckets" for service fake',
        hint: "did you mean fake.bucket? known types: fake.bucket, fake.table, other.role",
      },
    ]);
  });

  it("options: an unknown option, with a hint", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "resources:",
      "  - service: fake",
      "    type: bucket",
      "    names: [a]",
      "    options:",
      "      forse: true",
    );
    const p = await problems(file);
    expect(p).toEqual([
      {
        pos: { file, line: 8, col: 7 },
        path: "resources[0].options.forse",
        message: 'unknown property "forse"',
        hint: 'did you mean "force"?',
      },
    ]);
  });

  it("options: a wrong type, located at the value", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "resources:",
      "  - service: fake",
      "    type: bucket",
      "    names: [a]",
      "    options:",
      '      force: "yes"',
    );
    const p = await problems(file);
    expect(p).toEqual([
      { pos: { file, line: 8, col: 14 }, path: "resources[0].options.force", message: "must be boolean" },
    ]);
  });

  it("options on a type that has none", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "resources:",
      "  - service: fake",
      "    type: table",
      "    names: [a]",
      "    options: { force: true }",
    );
    const p = await problems(file);
    expect(p).toEqual([
      {
        pos: { file, line: 7, col: 16 },
        path: "resources[0].options.force",
        message: 'unknown property "force"',
        hint: "fake.table has no options; see runner plugins",
      },
    ]);
  });

  it("reports every problem at once", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "resources:",
      "  - service: fake", // 4
      "    type: bucket",
      "    nmes: [a]", // 6: unknown property
      "  - service: fake", // 7
      "    type: bucket",
      "    match: { prefix: '${nope}' }", // 9: unknown var
      "  - service: fake", // 10
      "    type: nope", // 11: unknown type
      "    names: [a]",
      "  - service: fake", // 13: no selector
      "    type: table",
      "  - service: fake",
      "    type: bucket",
      "    names: [a]",
      "    options: { force: 1 }", // 18: wrong option type
    );
    const p = await problems(file);
    expect(p.map((x) => `${x.pos?.line} ${x.path}`).sort()).toEqual(
      [
        "6 resources[0].nmes",
        "9 resources[1].match.prefix",
        "11 resources[2].type",
        "13 resources[3]",
        "18 resources[4].options.force",
      ].sort(),
    );
  });
});

describe("every problem at once, but no plugin loading from a broken plugin list", () => {
  it("a bad plugins list stops before plugins are loaded", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "plugins: ./x.ts",
      "resources:",
      "  - { service: fake, type: nope, names: [a] }",
    );
    const p = await problems(file);
    expect(p).toEqual([expect.objectContaining({ path: "plugins", pos: { file, line: 3, col: 10 } })]);
    expect(registryCalls).toEqual([]);
  });

  it("an unknown var in a plugin path stops before plugins are loaded", async () => {
    const file = await write("m.yaml", ...head, "plugins: ['${dir}/x.ts']", "resources: []");
    expect((await problems(file)).map((x) => x.path)).toEqual(["plugins[0]"]);
    expect(registryCalls).toEqual([]);
  });
});

describe("vars", () => {
  it("substitutes ${name} in strings, ${env:NAME} from the environment, $${ as a literal", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "vars:",
      "  prefix: student",
      "  cohort: ${env:COHORT}",
      "resources:",
      "  - service: fake",
      "    type: bucket",
      '    match: { prefix: "${prefix}-${cohort}-" }',
      '    exclude: { names: ["$${prefix}-keep"] }',
    );
    const m = await ok(file, { env: { COHORT: "k18" } });
    expect(m.vars).toEqual({ prefix: "student", cohort: "k18" });
    expect(m.entries[0]!.match).toEqual({ prefix: "student-k18-" });
    expect(m.entries[0]!.exclude).toEqual({ names: ["${prefix}-keep"] });
  });

  it("numbers and booleans are vars too", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "vars: { n: 18, b: true }",
      "resources:",
      "  - { service: fake, type: table, names: ['k${n}-${b}'] }",
    );
    expect((await ok(file)).entries[0]!.names).toEqual(["k18-true"]);
  });

  it("an unknown var is an error at the string that uses it, with a hint", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "vars: { prefix: student }",
      "resources:",
      "  - service: fake",
      "    type: bucket",
      '    match: { prefix: "${prefx}-" }',
    );
    const p = await problems(file);
    expect(p).toEqual([
      {
        pos: { file, line: 7, col: 22 },
        path: "resources[0].match.prefix",
        message: "unknown variable ${prefx}",
        hint: "did you mean ${prefix}?",
      },
    ]);
  });

  it("an unset environment variable is an error", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "resources:",
      "  - { service: fake, type: table, names: ['${env:WHO}'] }",
    );
    const p = await problems(file);
    expect(p).toEqual([
      {
        pos: { file, line: 4, col: 43 },
        path: "resources[0].names[0]",
        message: "environment variable WHO is not set",
        hint: "export WHO=...",
      },
    ]);
  });

  it("--var beats the vars file, which beats the manifest", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "vars: { a: manifest, b: manifest, c: manifest }",
      "resources:",
      "  - { service: fake, type: table, names: ['${a}', '${b}', '${c}'] }",
    );
    const varsFile = await write("vars.yaml", "b: file", "c: file");
    const m = await ok(file, { varsFile, vars: { c: "flag" } });
    expect(m.entries[0]!.names).toEqual(["manifest", "file", "flag"]);
    expect(m.vars).toEqual({ a: "manifest", b: "file", c: "flag" });
  });

  it("a vars file that is missing or not a mapping", async () => {
    const file = await write("m.yaml", ...head, "resources: []");
    expect(await problems(file, { varsFile: join(dir, "none.yaml") })).toEqual([
      { path: "--vars-file", message: `${join(dir, "none.yaml")}: no such file` },
    ]);
    const list = await write("list.yaml", "- a");
    expect((await problems(file, { varsFile: list }))[0]!.message).toMatch(/mapping/);
  });

  it("vars may refer to vars, and an override is seen by the vars using it", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "vars:",
      "  bucket: ${prefix}-data",
      "  prefix: ${org}-student",
      "  org: fcj",
      "resources:",
      "  - { service: fake, type: table, names: ['${bucket}'] }",
    );
    expect((await ok(file)).entries[0]!.names).toEqual(["fcj-student-data"]);
    expect((await ok(file, { vars: { org: "acme" } })).entries[0]!.names).toEqual(["acme-student-data"]);
  });

  it("a cycle among vars is an error located at a var", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "vars:",
      "  a: x${b}",
      "  b: y${a}",
      "resources:",
      "  - { service: fake, type: table, names: ['${a}'] }",
    );
    const p = await problems(file);
    expect(p.length).toBeGreaterThanOrEqual(1);
    expect(p[0]!.path).toMatch(/^vars\.(a|b)$/);
    expect(p[0]!.message).toMatch(/^is part of a cycle: (a -> b -> a|b -> a -> b)$/);
    expect(p[0]!.pos).toMatchObject({ file });
    expect([4, 5]).toContain(p[0]!.pos!.line);
  });

  it("an unknown var inside a var suggests the known ones", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "vars:",
      "  prefix: student",
      "  bucket: ${prefx}-data",
      "resources: []",
    );
    const p = await problems(file);
    expect(p).toEqual([
      {
        pos: { file, line: 5, col: 11 },
        path: "vars.bucket",
        message: "unknown variable ${prefx}",
        hint: "did you mean ${prefix}?",
      },
    ]);
  });
});

describe("extends", () => {
  const base = [
    ...head.map((l) => l.replace("test", "base")),
    "vars: { prefix: base, keep: kept }",
    "target: { regions: [us-east-1] }",
    "resources:",
    "  - { service: fake, type: table, names: ['${prefix}-t'] }",
  ];

  it("merges a base file: resources base first, child vars win, base vars kept", async () => {
    await write("base.yaml", ...base);
    const file = await write(
      "m.yaml",
      ...head,
      "extends: ./base.yaml",
      "vars: { prefix: child }",
      "resources:",
      "  - { service: fake, type: bucket, names: ['${prefix}-${keep}'] }",
    );
    const m = await ok(file);
    expect(m.name).toBe("test");
    expect(m.regions).toEqual(["us-east-1"]);
    expect(m.entries.map((e) => [e.type, e.names])).toEqual([
      ["fake.table", ["child-t"]],
      ["fake.bucket", ["child-kept"]],
    ]);
    expect(m.entries[0]!.source).toEqual({ file: join(dir, "base.yaml"), line: 6, col: 5 });
    expect(m.entries[1]!.source).toEqual({ file, line: 6, col: 5 });
    expect(m.document.extends).toBeUndefined();
  });

  it("nested, with several bases in order", async () => {
    await write(
      "a/root.yaml",
      ...head,
      "vars: { v: root }",
      "resources:",
      "  - { service: fake, type: table, names: ['root-${v}'] }",
    );
    await write(
      "a/mid.yaml",
      "extends: ./root.yaml",
      "resources:",
      "  - { service: fake, type: table, names: ['mid-${v}'] }",
    );
    await write(
      "b/other.yaml",
      "vars: { v: other }",
      "resources:",
      "  - { service: fake, type: table, names: ['other-${v}'] }",
    );
    const file = await write(
      "m.yaml",
      "extends: [./a/mid.yaml, ./b/other.yaml]",
      "resources:",
      "  - { service: fake, type: table, names: ['own-${v}'] }",
    );
    const m = await ok(file);
    expect(m.entries.map((e) => e.names![0])).toEqual(["root-other", "mid-other", "other-other", "own-other"]);
  });

  it("a package path, resolved from the manifest's node_modules", async () => {
    await write(
      "node_modules/@fcj/manifests/package.json",
      JSON.stringify({ name: "@fcj/manifests", version: "1.0.0" }),
    );
    await write("node_modules/@fcj/manifests/student-system.yaml", ...base);
    const file = await write("m.yaml", "extends: '@fcj/manifests/student-system.yaml'", "vars: { prefix: k18 }");
    const m = await ok(file);
    expect(m.entries.map((e) => e.names)).toEqual([["k18-t"]]);
    expect(m.entries[0]!.source?.file).toBe(join(dir, "node_modules/@fcj/manifests/student-system.yaml"));
  });

  it("a base that cannot be found", async () => {
    const file = await write("m.yaml", ...head, "extends: ./nope.yaml", "resources: []");
    const p = await problems(file);
    expect(p).toEqual([
      {
        pos: { file, line: 3, col: 10 },
        path: "extends",
        message: 'cannot find base manifest "./nope.yaml"',
        hint: "paths are relative to this file",
      },
    ]);
    const file2 = await write("m2.yaml", ...head, "extends: '@nobody/nothing/x.yaml'", "resources: []");
    expect(await problems(file2)).toEqual([
      {
        pos: { file: file2, line: 3, col: 10 },
        path: "extends",
        message: 'cannot find base manifest "@nobody/nothing/x.yaml"',
        hint: "is the package installed next to this manifest?",
      },
    ]);
  });

  it("a cycle is reported at the extends that closes it", async () => {
    await write("b.yaml", "extends: ./a.yaml", "resources: []");
    const file = await write("a.yaml", ...head, "extends: ./b.yaml", "resources: []");
    const p = await problems(file);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ pos: { file: join(dir, "b.yaml"), line: 1, col: 10 }, path: "extends" });
    expect(p[0]!.message).toMatch(/^extends cycle: .*a\.yaml -> .*b\.yaml -> .*a\.yaml$/);
  });

  it("a manifest extending itself", async () => {
    const file = await write("a.yaml", ...head, "extends: ./a.yaml", "resources: []");
    expect((await problems(file))[0]!.message).toMatch(/^extends cycle/);
  });

  it("a mistake in the base is located in the base file", async () => {
    const baseFile = await write(
      "base.yaml",
      ...head,
      "resources:",
      "  - service: fake",
      "    type: bucket",
      "    nmes: [a]",
      "  - service: fake",
      "    type: tabel",
      "    names: [a]",
    );
    const file = await write(
      "m.yaml",
      "extends: ./base.yaml",
      "resources:",
      "  - { service: fake, type: table, nmes: [b] }",
    );
    const p = await problems(file);
    expect(p).toContainEqual(
      expect.objectContaining({ pos: { file: baseFile, line: 6, col: 5 }, path: "resources[0].nmes" }),
    );
    expect(p).toContainEqual(expect.objectContaining({ pos: { file, line: 3, col: 35 }, path: "resources[2].nmes" }));
    // a type error in the base once the shape is right
    const fixed = await write(
      "base2.yaml",
      ...head,
      "resources:",
      "  - service: fake",
      "    type: tabel",
      "    names: [a]",
    );
    const file2 = await write("m2.yaml", "extends: ./base2.yaml", "resources: []");
    expect(await problems(file2)).toEqual([
      expect.objectContaining({ pos: { file: fixed, line: 5, col: 11 }, path: "resources[0].type" }),
    ]);
  });

  it("an unknown var used in the base is located in the base", async () => {
    const baseFile = await write(
      "base.yaml",
      ...head,
      "resources:",
      "  - { service: fake, type: table, names: ['${who}'] }",
    );
    const file = await write("m.yaml", "extends: ./base.yaml");
    const p = await problems(file);
    expect(p).toEqual([
      expect.objectContaining({ pos: { file: baseFile, line: 4, col: 43 }, message: "unknown variable ${who}" }),
    ]);
  });
});

describe("matrix", () => {
  it("repeats the entries that use a matrix key, once per value, and records the values", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "vars: { org: fcj }",
      "matrix:",
      "  student: [ann, bob]",
      "  region: [x, y]",
      "resources:",
      "  - service: fake", // 8
      "    type: bucket",
      '    match: { prefix: "${org}-${student}-" }',
      "  - { service: fake, type: table, names: [shared] }", // 11
      "  - { service: fake, type: table, names: ['${student}-${region}'] }", // 12
    );
    const m = await ok(file);
    expect(m.entries.map((e) => [e.index, e.type, e.names ?? e.match, e.matrix, e.source?.line])).toEqual([
      [0, "fake.bucket", { prefix: "fcj-ann-" }, { student: "ann" }, 8],
      [1, "fake.bucket", { prefix: "fcj-bob-" }, { student: "bob" }, 8],
      [2, "fake.table", ["shared"], undefined, 11],
      [3, "fake.table", ["ann-x"], { student: "ann", region: "x" }, 12],
      [4, "fake.table", ["ann-y"], { student: "ann", region: "y" }, 12],
      [5, "fake.table", ["bob-x"], { student: "bob", region: "x" }, 12],
      [6, "fake.table", ["bob-y"], { student: "bob", region: "y" }, 12],
    ]);
  });

  it("a matrix key replaces a manifest var of the same name (a cohort on top of a shared manifest)", async () => {
    await write(
      "base.yaml",
      ...head,
      "vars: { prefix: student }",
      "resources:",
      "  - { service: fake, type: table, match: { prefix: '${prefix}-' } }",
    );
    const file = await write("cohort.yaml", "extends: ./base.yaml", "matrix: { prefix: [k18-an, k18-binh] }");
    const m = await ok(file);
    expect(m.entries.map((e) => [e.match, e.matrix])).toEqual([
      [{ prefix: "k18-an-" }, { prefix: "k18-an" }],
      [{ prefix: "k18-binh-" }, { prefix: "k18-binh" }],
    ]);
  });

  it("a var or matrix name that is not a name is a located problem", async () => {
    const file = await write("m.yaml", ...head, "vars: { 'bad name': x }", "matrix: { 'x.y': [a] }", "resources: []");
    const p = await problems(file);
    expect(p).toEqual([
      expect.objectContaining({
        pos: { file, line: 3, col: 9 },
        path: "vars.bad name",
        message: '"bad name" is not a valid name',
      }),
      expect.objectContaining({
        pos: { file, line: 4, col: 11 },
        path: "matrix.x.y",
        message: '"x.y" is not a valid name',
      }),
    ]);
  });

  it("a var that uses a matrix key takes one value per matrix value", async () => {
    await write(
      "base.yaml",
      ...head,
      "vars: { prefix: student, domain: '${prefix}.example.com', mail: 'noreply@${domain}' }",
      "resources:",
      "  - { service: fake, type: table, names: ['${mail}'] }",
      "  - { service: fake, type: table, names: [shared] }",
    );
    const file = await write("cohort.yaml", "extends: ./base.yaml", "matrix: { prefix: [an, binh] }");
    const m = await ok(file);
    expect(m.entries.map((e) => [e.names, e.matrix])).toEqual([
      [["noreply@an.example.com"], { prefix: "an" }],
      [["noreply@binh.example.com"], { prefix: "binh" }],
      [["shared"], undefined],
    ]);
  });

  it("a matrix key also set with --var or a vars file is a problem", async () => {
    const file = await write("m.yaml", ...head, "matrix: { student: [b] }", "resources: []");
    const p = await problems(file, { vars: { student: "a" } });
    expect(p).toEqual([expect.objectContaining({ pos: { file, line: 3, col: 20 }, path: "matrix.student" })]);
    const varsFile = await write("vars.yaml", "student: a");
    expect((await problems(file, { varsFile })).map((x) => x.path)).toEqual(["matrix.student"]);
  });

  it("a problem in an expanded entry points at the entry as written", async () => {
    const file = await write(
      "m.yaml",
      ...head,
      "matrix: { s: [a, b] }",
      "resources:",
      "  - { service: fake, type: table, names: ['${s}'] }",
      "  - { service: fake, type: table, nmes: [x] }",
    );
    const p = await problems(file);
    expect(p).toEqual([expect.objectContaining({ pos: { file, line: 6, col: 35 }, path: "resources[2].nmes" })]);
  });
});

describe("plugins", () => {
  it("relative plugin paths are anchored to the file that names them; packages are left alone", async () => {
    await write("shared/base.yaml", "plugins: [./base-plugin.ts, '@acme/cleanup-plugin-x']", "resources: []");
    const file = await write(
      "site/m.yaml",
      ...head,
      "extends: ../shared/base.yaml",
      "plugins: [./mine.ts]",
      "resources: []",
    );
    const m = await ok(file);
    const expected = [join(dir, "shared/base-plugin.ts"), "@acme/cleanup-plugin-x", join(dir, "site/mine.ts")];
    expect(m.plugins).toEqual(expected);
    expect(registryCalls).toEqual([{ plugins: expected, file }]);
  });

  it("problems from loading plugins are returned", async () => {
    const file = await write("m.yaml", ...head, "plugins: [./x.ts]", "resources: []");
    const result = await loadManifest(file, {
      env: {},
      registryFor: async () => ({ problems: [{ path: "plugins: ./x.ts", message: "boom" }] }),
    });
    expect(result).toEqual({ ok: false, problems: [{ path: "plugins: ./x.ts", message: "boom" }] });
  });
});

describe("formatProblem", () => {
  it("file:line:col  path  message (hint)", () => {
    expect(
      formatProblem({
        pos: { file: "/m.yaml", line: 3, col: 7 },
        path: "resources[0].nmes",
        message: "bad",
        hint: "fix",
      }),
    ).toBe("/m.yaml:3:7  resources[0].nmes  bad (fix)");
  });

  it("leaves out what is not known", () => {
    expect(formatProblem({ path: "", message: "bad" })).toBe("bad");
    expect(formatProblem({ path: "--vars-file", message: "bad", hint: "h" })).toBe("--vars-file  bad (h)");
    expect(formatProblem({ pos: { file: "/m.yaml", line: 1, col: 1 }, path: "", message: "bad" })).toBe(
      "/m.yaml:1:1  bad",
    );
  });
});
