import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { concatPositions, mergePositions, parseLocatedYaml, positionOf } from "./located.js";
import type { Problem } from "./problems.js";

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Where `extends: spec` written in `fromFile` points: a path relative to that
 * file, or a package path (`@fcj/workshop-manifests/student-system.yaml`)
 * resolved from that file's folder's node_modules.
 */
export function resolveManifestSpec(spec: string, fromFile: string): string {
  if (spec.startsWith(".") || isAbsolute(spec)) return resolve(dirname(fromFile), spec);
  return createRequire(resolve(dirname(fromFile), "manifest.yaml")).resolve(spec);
}

/** Relative plugin paths are resolved from the manifest that names them, before merging moves them. */
function anchorPlugins(doc: Obj, file: string): void {
  if (!Array.isArray(doc.plugins)) return;
  const anchored = (doc.plugins as unknown[]).map((p: unknown) =>
    typeof p === "string" && (p.startsWith(".") || isAbsolute(p)) ? resolve(dirname(file), p) : p,
  );
  concatPositions(anchored, [doc.plugins]);
  doc.plugins = anchored;
}

/**
 * Merges a base manifest under a child: the child's scalars win, `vars`,
 * `matrix` and `target` merge key by key (child wins), `resources` and
 * `plugins` are appended (base first), `extends` is consumed.
 */
export function mergeManifests(base: Obj, child: Obj): Obj {
  const out: Obj = { ...base, ...child };
  for (const key of ["vars", "matrix", "target"]) {
    if (isObject(base[key]) && isObject(child[key])) {
      const merged = { ...base[key], ...child[key] };
      mergePositions(merged, [base[key], child[key]]);
      out[key] = merged;
    }
  }
  for (const key of ["resources", "plugins"]) {
    if (Array.isArray(base[key]) && Array.isArray(child[key])) {
      const parts = [base[key], child[key]];
      const merged = parts.flat();
      concatPositions(merged, parts);
      out[key] = merged;
    } else if (Array.isArray(base[key])) out[key] = base[key];
  }
  delete out.extends;
  mergePositions(out, [base, child]);
  return out;
}

/**
 * Reads a manifest and everything it extends (nested, in order), merged.
 * Problems (missing files, YAML errors, cycles) are collected, not thrown.
 */
export async function readManifestTree(
  file: string,
  problems: Problem[],
  chain: string[] = [],
): Promise<Obj | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push({
      path: "",
      message: code === "ENOENT" ? `${file}: no such file` : `${file}: cannot read (${code ?? String(error)})`,
    });
    return undefined;
  }
  const { value, problems: yamlProblems } = parseLocatedYaml(file, text);
  problems.push(...yamlProblems);
  if (yamlProblems.length) return undefined;
  if (!isObject(value)) {
    problems.push({
      pos: { file, line: 1, col: 1 },
      path: "",
      message: "a manifest must be a YAML mapping (key: value)",
    });
    return undefined;
  }
  anchorPlugins(value, file);
  const specs = typeof value.extends === "string" ? [value.extends] : Array.isArray(value.extends) ? value.extends : [];
  let merged: Obj | undefined;
  for (const [i, spec] of specs.entries()) {
    if (typeof spec !== "string") continue; // the schema reports it
    const at = positionOf(value, typeof value.extends === "string" ? ["extends"] : ["extends", i]);
    let baseFile: string;
    try {
      baseFile = resolveManifestSpec(spec, file);
      if (!existsSync(baseFile)) throw new Error("missing");
    } catch {
      problems.push({
        ...(at ? { pos: at } : {}),
        path: "extends",
        message: `cannot find base manifest "${spec}"`,
        hint: spec.startsWith(".")
          ? "paths are relative to this file"
          : "is the package installed next to this manifest?",
      });
      continue;
    }
    if ([...chain, file].includes(baseFile)) {
      const cycle = [...chain, file, baseFile].map((f) => relative(process.cwd(), f) || f).join(" -> ");
      problems.push({ ...(at ? { pos: at } : {}), path: "extends", message: `extends cycle: ${cycle}` });
      continue;
    }
    const base = await readManifestTree(baseFile, problems, [...chain, file]);
    if (base) merged = merged ? mergeManifests(merged, base) : base;
  }
  return merged ? mergeManifests(merged, value) : value;
}
