import { copyPositions, positionOf } from "./located.js";
import { formatPath, closest, type Problem } from "./problems.js";

/** Values for `${name}`; `env:NAME` reads the environment. */
export type Vars = Readonly<Record<string, string>>;

const reference = /\$\$\{|\$\{([^}]*)\}/g;

/** The names a string refers to with `${name}` (not `${env:...}`). */
export function referencedVars(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(reference)) if (m[1] !== undefined && !m[1].startsWith("env:")) out.push(m[1]);
  return out;
}

/**
 * Replaces `${name}` and `${env:NAME}` in one string; `$${` stands for a
 * literal `${`. An unknown name is a problem, never an empty string.
 */
export function substitute(
  text: string,
  vars: Vars,
  env: Readonly<Record<string, string | undefined>>,
  onProblem: (message: string, hint?: string) => void,
): string {
  return text.replace(reference, (whole, name: string | undefined) => {
    if (name === undefined) return "${";
    if (name.startsWith("env:")) {
      const value = env[name.slice(4)];
      if (value === undefined)
        onProblem(`environment variable ${name.slice(4)} is not set`, `export ${name.slice(4)}=...`);
      return value ?? whole;
    }
    const value = vars[name];
    if (value === undefined) {
      const known = Object.keys(vars);
      const guess = closest(name, known);
      onProblem(
        `unknown variable \${${name}}`,
        guess
          ? `did you mean \${${guess}}?`
          : known.length
            ? `known: ${known.join(", ")}; or pass --var ${name}=...`
            : `define it under vars: or pass --var ${name}=...`,
      );
      return whole;
    }
    return value;
  });
}

/**
 * Resolves the manifest's own vars, which may use `${env:...}` and each
 * other (no cycles), then applies overrides (vars file, then `--var`).
 */
export function resolveVars(
  root: unknown,
  declared: Record<string, unknown>,
  overrides: Vars,
  env: Readonly<Record<string, string | undefined>>,
  problems: Problem[],
): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(declared)) raw[k] = String(v);
  Object.assign(raw, overrides);
  const resolved: Record<string, string> = {};
  const resolving: string[] = [];
  const resolve = (name: string): string | undefined => {
    if (name in resolved) return resolved[name];
    if (!(name in raw)) return undefined;
    if (resolving.includes(name)) {
      const cycle = [...resolving.slice(resolving.indexOf(name)), name];
      problems.push({
        pos: positionOf(root, ["vars", name]),
        path: `vars.${name}`,
        message: cycle.length === 2 ? "refers to itself" : `is part of a cycle: ${cycle.join(" -> ")}`,
      });
      return "";
    }
    resolving.push(name);
    // Over `raw`, so that an unknown name's hint can list (and guess among) the known ones.
    const proxy = new Proxy(raw, { get: (_, key: string) => resolve(key) });
    const overridden = name in overrides;
    resolved[name] = substitute(raw[name]!, proxy, env, (message, hint) =>
      problems.push({
        ...(overridden ? {} : { pos: positionOf(root, ["vars", name]) }),
        path: overridden ? `--var ${name}` : `vars.${name}`,
        message,
        ...(hint ? { hint } : {}),
      }),
    );
    resolving.pop();
    return resolved[name];
  };
  for (const name of Object.keys(raw)) resolve(name);
  return resolved;
}

/** Substitutes vars in every string of `value` (keys are left alone), keeping positions. */
export function substituteDeep(
  root: unknown,
  value: unknown,
  path: (string | number)[],
  vars: Vars,
  env: Readonly<Record<string, string | undefined>>,
  problems: Problem[],
): unknown {
  if (typeof value === "string") {
    return substitute(value, vars, env, (message, hint) =>
      problems.push({ pos: positionOf(root, path), path: formatPath(path), message, ...(hint ? { hint } : {}) }),
    );
  }
  if (Array.isArray(value)) {
    const out = value.map((v, i) => substituteDeep(root, v, [...path, i], vars, env, problems));
    copyPositions(value, out);
    return out;
  }
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteDeep(root, v, [...path, k], vars, env, problems);
    copyPositions(value, out);
    return out;
  }
  return value;
}
