import { Ajv, type ErrorObject } from "ajv";
import { Value } from "@sinclair/typebox/value";
import { Type, type TObject } from "@sinclair/typebox";
import type { Registry } from "../registry.js";
import { positionOf } from "./located.js";
import { closest, formatPath, type Problem } from "./problems.js";
import { Manifest, type ManifestEntry } from "./schema.js";

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validateManifest = ajv.compile(Manifest);
const optionValidators = new WeakMap<object, ReturnType<typeof ajv.compile>>();

/** JSON pointer -> path segments, numbers where the document has an array. */
function segments(root: unknown, pointer: string): (string | number)[] {
  const out: (string | number)[] = [];
  let node = root;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const segment = Array.isArray(node) ? Number(key) : key;
    out.push(segment);
    node = node && typeof node === "object" ? (node as Record<string | number, unknown>)[segment] : undefined;
  }
  return out;
}

/** Turns ajv's errors into problems a person can act on, located in the file. */
export function describeAjvErrors(
  root: unknown,
  errors: readonly ErrorObject[],
  base: (string | number)[] = [],
): Problem[] {
  const problems: Problem[] = [];
  // A union reports every branch's failure; keep the one summary per place.
  const unionPaths = new Set(errors.filter((e) => e.keyword === "anyOf").map((e) => e.instancePath));
  for (const error of errors) {
    if (unionPaths.has(error.instancePath) && error.keyword !== "anyOf") continue;
    let path = [...base, ...segments(base.length ? valueAt(root, base) : root, error.instancePath)];
    const schema = error.parentSchema as { properties?: Record<string, unknown>; description?: string } | undefined;
    let message: string;
    let hint: string | undefined;
    let atKey = false;
    switch (error.keyword) {
      case "additionalProperties": {
        const property = (error.params as { additionalProperty: string }).additionalProperty;
        path = [...path, property];
        atKey = true;
        if (!schema?.properties && (schema as { patternProperties?: object } | undefined)?.patternProperties) {
          // A map of names (vars, matrix): the key itself is malformed.
          message = `"${property}" is not a valid name`;
          hint = "use letters, digits, _ and -, starting with a letter or _";
          break;
        }
        message = `unknown property "${property}"`;
        const known = Object.keys(schema?.properties ?? {}).filter((k) => k !== "$schema");
        const guess = closest(property, known);
        hint = guess ? `did you mean "${guess}"?` : known.length ? `known: ${known.join(", ")}` : undefined;
        break;
      }
      case "required": {
        const property = (error.params as { missingProperty: string }).missingProperty;
        message = `missing required property "${property}"`;
        break;
      }
      case "const":
      case "enum": {
        const allowed =
          error.keyword === "const"
            ? [(error.params as { allowedValue: unknown }).allowedValue]
            : (error.params as { allowedValues: unknown[] }).allowedValues;
        message = `must be ${allowed.map((v) => JSON.stringify(v)).join(" or ")}`;
        const guess = typeof error.data === "string" ? closest(error.data, allowed.map(String)) : undefined;
        if (guess) hint = `did you mean "${guess}"?`;
        break;
      }
      case "pattern":
        message = `"${String(error.data)}" is not valid` + (schema?.description ? `: ${schema.description}` : "");
        break;
      case "anyOf":
        message = "must be a string or a list of strings";
        break;
      default:
        message = error.message ?? "is not valid";
    }
    const pos = positionOf(root, path, { key: atKey });
    problems.push({ ...(pos ? { pos } : {}), path: formatPath(path), message, ...(hint ? { hint } : {}) });
  }
  return dedupe(problems);
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>(
    (node, key) => (node && typeof node === "object" ? (node as Record<string | number, unknown>)[key] : undefined),
    root,
  );
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Checks the manifest's shape against the schema. */
export function checkShape(root: unknown): Problem[] {
  if (validateManifest(root)) return [];
  return describeAjvErrors(root, validateManifest.errors ?? []);
}

/**
 * Checks what the schema cannot: each entry has a selector, its regex
 * compiles, its type exists, and its options fit that type's own schema.
 * Returns the options with the type's defaults applied.
 */
export function checkEntry(
  root: unknown,
  entry: ManifestEntry,
  index: number,
  registry: Registry,
  problems: Problem[],
): Record<string, unknown> | undefined {
  const at = (path: (string | number)[], key = false) => {
    const pos = positionOf(root, ["resources", index, ...path], { key });
    return { ...(pos ? { pos } : {}), path: formatPath(["resources", index, ...path]) };
  };
  if (!entry.names && !entry.match) {
    problems.push({
      ...at([]),
      message: "no selector: say which resources with `names` and/or `match`",
      hint: "to select every resource of the type, write `match: { all: true }`",
    });
  }
  if (entry.match && Object.keys(entry.match).length === 0) {
    problems.push({
      ...at(["match"]),
      message: "empty match selects nothing",
      hint: "add a condition, or `all: true`",
    });
  }
  for (const [part, selector] of [
    ["match", entry.match],
    ["exclude", entry.exclude],
  ] as const) {
    if (selector?.regex !== undefined) {
      try {
        new RegExp(selector.regex);
      } catch (error) {
        problems.push({ ...at([part, "regex"]), message: `invalid regular expression: ${(error as Error).message}` });
      }
    }
    // The schema checks the shape of a date, not that it is one: 2026-13-45 would never compare,
    // and an exclude that never holds excludes nothing.
    if (
      selector?.olderThan !== undefined &&
      /^\d{4}-/.test(selector.olderThan) &&
      Number.isNaN(Date.parse(selector.olderThan))
    ) {
      problems.push({
        ...at([part, "olderThan"]),
        message: `"${selector.olderThan}" is not a valid date`,
        hint: "write a date as YYYY-MM-DD, or an age like 7d",
      });
    }
  }
  const typeName = `${entry.service}.${entry.type}`;
  const resource = registry.get(typeName);
  if (!resource) {
    const known = registry.names();
    const services = [...new Set(known.map((k) => k.split(".")[0]!))];
    const serviceKnown = services.includes(entry.service);
    const guess = closest(typeName, known);
    problems.push({
      ...at([serviceKnown ? "type" : "service"]),
      message: serviceKnown
        ? `unknown type "${entry.type}" for service ${entry.service}`
        : `unknown service "${entry.service}"`,
      hint: guess
        ? `did you mean ${guess}? known types: ${known.join(", ")}`
        : `known types: ${known.join(", ")}; other services need a plugin (plugins: in the manifest)`,
    });
    return undefined;
  }
  const schema = strictOptions(resource.options);
  const options = Value.Default(schema, structuredClone(entry.options ?? {})) as Record<string, unknown>;
  let validate = optionValidators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    optionValidators.set(schema, validate);
  }
  if (!validate(options)) {
    const located = describeAjvErrors(root, validate.errors ?? [], ["resources", index, "options"]);
    problems.push(
      ...located.map((p) =>
        p.hint || !p.message.startsWith("unknown property")
          ? p
          : { ...p, hint: `${typeName} has no options; see runner plugins` },
      ),
    );
    return undefined;
  }
  return options;
}

// Options a type does not declare are typos, not extras: close every schema.
const closed = new WeakMap<object, TObject>();
const noOptions = Type.Object({}, { additionalProperties: false });
function strictOptions(schema: TObject | undefined): TObject {
  if (!schema) return noOptions;
  let strict = closed.get(schema);
  if (!strict) {
    strict = schema.additionalProperties === undefined ? { ...schema, additionalProperties: false } : schema;
    closed.set(schema, strict);
  }
  return strict;
}
