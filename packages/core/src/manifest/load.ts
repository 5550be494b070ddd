import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { ResourceTypeName } from "@cleanup-runner/plugin-kit";
import type { Registry } from "../registry.js";
import { readManifestTree } from "./extends.js";
import { parseLocatedYaml, positionOf, remapArrayPositions, copyPositions } from "./located.js";
import type { Problem, SourcePos } from "./problems.js";
import type { Manifest, ManifestEntry, ManifestExclude, ManifestMatch } from "./schema.js";
import { checkEntry, checkShape } from "./validate.js";
import { referencedVars, resolveVars, substituteDeep } from "./vars.js";

/** One manifest entry, resolved: vars substituted, matrix expanded, options defaulted. */
export interface ResolvedEntry {
  /** Position in the resolved manifest's `resources`. */
  readonly index: number;
  /** The full type name, `service.type`. */
  readonly type: ResourceTypeName;
  /** Exact names selected, if the entry names any. */
  readonly names?: readonly string[];
  /** The entry's match conditions. */
  readonly match?: ManifestMatch;
  /** What the entry leaves alone. */
  readonly exclude?: ManifestExclude;
  /** The type's options with defaults applied. */
  readonly options: Record<string, unknown>;
  /** Where the entry is written (file:line:col). */
  readonly source?: SourcePos;
  /** The matrix values this copy of the entry was made for. */
  readonly matrix?: Readonly<Record<string, string>>;
  /** The entry's own description. */
  readonly description?: string;
}

/** A manifest ready to plan. */
export interface ResolvedManifest {
  /** The manifest file given on the command line, absolute. */
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  /** Regions to clean; undefined = the SDK's region. */
  readonly regions?: readonly string[];
  /** Allowed account ids; undefined = any. */
  readonly accounts?: readonly string[];
  /** The AWS profile the manifest asks for. */
  readonly profile?: string;
  /** Plugin specs (absolute paths or package names). */
  readonly plugins: readonly string[];
  /** Final values of every var. */
  readonly vars: Readonly<Record<string, string>>;
  readonly entries: readonly ResolvedEntry[];
  /** The whole resolved manifest as plain JSON (`runner validate --print`). */
  readonly document: Manifest;
}

/** What loading needs besides the file. */
export interface LoadOptions {
  /** `--var name=value`, the strongest. */
  readonly vars?: Readonly<Record<string, string>>;
  /** `--vars-file`: a YAML mapping of name: value, between the manifest and `--var`. */
  readonly varsFile?: string;
  /** The environment for `${env:NAME}` (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Builds the registry once the manifest's `plugins` are known (built-ins plus those). */
  registryFor(
    plugins: readonly string[],
    manifestFile: string,
  ): Promise<{ registry: Registry } | { problems: Problem[] }>;
}

/** Either a manifest ready to plan, or every problem found in it. */
export type LoadResult = { ok: true; manifest: ResolvedManifest } | { ok: false; problems: Problem[] };

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

async function readVarsFile(file: string, problems: Problem[]): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    problems.push({ path: "--vars-file", message: `${file}: no such file` });
    return {};
  }
  const { value, problems: yamlProblems } = parseLocatedYaml(file, text);
  problems.push(...yamlProblems);
  if (yamlProblems.length) return {};
  if (!isObject(value)) {
    problems.push({
      pos: { file, line: 1, col: 1 },
      path: "",
      message: "a vars file must be a mapping of name: value",
    });
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === "object" && v !== null) {
      const pos = positionOf(value, [k]);
      problems.push({ ...(pos ? { pos } : {}), path: k, message: "a var must be a string, number or boolean" });
    } else out[k] = String(v);
  }
  return out;
}

/** For each var, the matrix keys its value uses, directly or through other vars. */
function matrixDependencies(declared: Record<string, unknown>, keys: readonly string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const visit = (name: string, seen: Set<string>): Set<string> => {
    const known = out.get(name);
    if (known) return known;
    const found = new Set<string>();
    if (seen.has(name) || !(name in declared)) return found;
    seen.add(name);
    for (const ref of referencedVars(String(declared[name]))) {
      if (keys.includes(ref)) found.add(ref);
      else for (const key of visit(ref, seen)) found.add(key);
    }
    out.set(name, found);
    return found;
  };
  for (const name of Object.keys(declared)) visit(name, new Set());
  return out;
}

/** The same problem found for several matrix values is reported once. */
function dedupeProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.pos?.file}:${p.pos?.line}:${p.pos?.col}|${p.path}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every combination of the matrix values an entry refers to. */
function combinations(keys: readonly string[], matrix: Record<string, string[]>): Record<string, string>[] {
  return keys.reduce<Record<string, string>[]>(
    (acc, key) => acc.flatMap((combo) => (matrix[key] ?? []).map((value) => ({ ...combo, [key]: value }))),
    [{}],
  );
}

/**
 * Loads a manifest: reads it and what it extends, substitutes vars, expands
 * the matrix, validates the shape, loads plugins, checks every entry against
 * its type. Returns every problem at once; never throws for bad input and
 * never touches AWS.
 */
export async function loadManifest(path: string, options: LoadOptions): Promise<LoadResult> {
  const file = resolve(path);
  const env = options.env ?? process.env;
  const problems: Problem[] = [];
  const tree = await readManifestTree(file, problems);
  if (!tree) return { ok: false, problems };

  const overrides = {
    ...(options.varsFile ? await readVarsFile(options.varsFile, problems) : {}),
    ...options.vars,
  };
  const matrix: Record<string, string[]> = {};
  if (isObject(tree.matrix)) {
    for (const [k, v] of Object.entries(tree.matrix)) if (Array.isArray(v)) matrix[k] = v.map(String);
  }
  // A matrix key replaces a manifest var of the same name (a cohort manifest
  // turns the shared `prefix` into one per student); a --var for it is ambiguous.
  const declared = Object.fromEntries(
    Object.entries(isObject(tree.vars) ? tree.vars : {}).filter(([key]) => !(key in matrix)),
  );
  for (const key of Object.keys(matrix)) {
    if (key in overrides) {
      const pos = positionOf(tree, ["matrix", key]);
      problems.push({
        ...(pos ? { pos } : {}),
        path: `matrix.${key}`,
        message: `"${key}" is set by --var or --vars-file and is also a matrix key`,
        hint: "drop one of the two",
      });
    }
  }
  // Vars that use a matrix key (`domain: "${prefix}.example.com"`) take one
  // value per matrix value: they are resolved for each combination.
  const matrixKeysOf = matrixDependencies(declared, Object.keys(matrix));
  const vars = resolveVars(
    tree,
    Object.fromEntries(Object.entries(declared).filter(([key]) => !matrixKeysOf.get(key)?.size)),
    overrides,
    env,
    problems,
  );
  const varsFor = (combo: Record<string, string>): Record<string, string> =>
    resolveVars(tree, declared, { ...overrides, ...combo }, env, problems);

  // Entries that mention a matrix key, directly or through a var, are repeated once per value.
  const entries = Array.isArray(tree.resources) ? (tree.resources as unknown[]) : [];
  const expanded: unknown[] = [];
  const sourceIndex: number[] = [];
  const combos: (Record<string, string> | undefined)[] = [];
  entries.forEach((entry, i) => {
    const used = new Set<string>();
    for (const name of referencedVars(JSON.stringify(entry))) {
      if (name in matrix) used.add(name);
      for (const key of matrixKeysOf.get(name) ?? []) used.add(key);
    }
    const keys = Object.keys(matrix).filter((key) => used.has(key));
    for (const combo of keys.length ? combinations(keys, matrix) : [undefined]) {
      const values = combo ? varsFor(combo) : vars;
      expanded.push(substituteDeep(tree, entry, ["resources", i], { ...values, ...combo }, env, problems));
      sourceIndex.push(i);
      combos.push(combo);
    }
  });
  const unique = dedupeProblems(problems);
  problems.length = 0;
  problems.push(...unique);
  remapArrayPositions(expanded, entries, sourceIndex);
  const rest: Obj = {};
  for (const [k, v] of Object.entries(tree)) {
    if (k === "vars" || k === "matrix" || k === "resources") continue;
    rest[k] = substituteDeep(tree, v, [k], vars, env, problems);
  }
  const document = {
    ...rest,
    ...(tree.vars !== undefined ? { vars: tree.vars } : {}),
    resources: Array.isArray(tree.resources) ? expanded : tree.resources,
  } as Obj;
  if (tree.matrix !== undefined) document.matrix = tree.matrix;
  copyPositions(tree, document);

  const shapeProblems = checkShape(document);
  problems.push(...shapeProblems);
  // Every problem at once: entries are checked against their types even when
  // something else is wrong, unless the list of entries or of plugins itself is.
  const entryIndex = (p: Problem) => /^resources\[(\d+)\]/.exec(p.path)?.[1];
  const misshapen = new Set(
    shapeProblems
      .map(entryIndex)
      .filter((i) => i !== undefined)
      .map(Number),
  );
  const checkable =
    Array.isArray(document.resources) && !problems.some((p) => p.path === "resources" || p.path.startsWith("plugins"));
  if (problems.length && !checkable) return { ok: false, problems };

  const manifest = document as unknown as Manifest;
  const loaded = await options.registryFor(manifest.plugins ?? [], file);
  if ("problems" in loaded) return { ok: false, problems: [...problems, ...loaded.problems] };
  const resolved: ResolvedEntry[] = [];
  manifest.resources.forEach((entry: ManifestEntry, index) => {
    if (misshapen.has(index)) return;
    const entryOptions = checkEntry(document, entry, index, loaded.registry, problems);
    if (!entryOptions) return;
    const source = positionOf(document, ["resources", index]);
    const combo = combos[index];
    resolved.push({
      index,
      type: `${entry.service}.${entry.type}`,
      ...(entry.names ? { names: entry.names } : {}),
      ...(entry.match ? { match: entry.match } : {}),
      ...(entry.exclude ? { exclude: entry.exclude } : {}),
      options: entryOptions,
      ...(source ? { source } : {}),
      ...(combo ? { matrix: combo } : {}),
      ...(entry.description ? { description: entry.description } : {}),
    });
  });
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    manifest: {
      file,
      name: manifest.name,
      ...(manifest.description ? { description: manifest.description } : {}),
      ...(manifest.target?.regions ? { regions: manifest.target.regions } : {}),
      ...(manifest.target?.accounts ? { accounts: manifest.target.accounts } : {}),
      ...(manifest.target?.profile ? { profile: manifest.target.profile } : {}),
      plugins: manifest.plugins ?? [],
      vars,
      entries: resolved,
      document: manifest,
    },
  };
}
