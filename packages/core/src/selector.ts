import type { DiscoveryHints, Found } from "@cleanup-runner/plugin-kit";
import type { ManifestExclude, ManifestMatch } from "./manifest/schema.js";

/** What one manifest entry selects: `names` AND `match`, minus `exclude`. */
export interface Selector {
  readonly names?: readonly string[];
  readonly match?: ManifestMatch;
  readonly exclude?: ManifestExclude;
}

type Conditions = ManifestExclude;

/** `*` any run, `?` one character; the whole name must match. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "s");
}

const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `7d`, `1w2d`, `12h` -> the moment that long before `now`; `2026-01-31` -> that date. */
export function olderThanCutoff(value: string, now: number): number {
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) return Date.parse(value);
  let ms = 0;
  for (const [, n, unit] of value.matchAll(/(\d+)([smhdw])/g)) ms += Number(n) * units[unit!]!;
  return now - ms;
}

/** The name conditions of `c` alone; tags and age are left to `allHold`. */
function nameHolds(c: Conditions, name: string): boolean {
  if (c.names && !c.names.includes(name)) return false;
  if (c.prefix !== undefined && !name.startsWith(c.prefix)) return false;
  if (c.suffix !== undefined && !name.endsWith(c.suffix)) return false;
  if (c.glob !== undefined && !globToRegExp(c.glob).test(name)) return false;
  if (c.regex !== undefined && !new RegExp(c.regex).test(name)) return false;
  return true;
}

/**
 * Every condition of `c` holds for `found`. An unknown age (no `createdAt`) is
 * read the safe way: `unknownAgeIsOld` is false for `match` (an unknown is not
 * selected) and true for `exclude` (an unknown is kept).
 */
function allHold(c: Conditions, found: Found, now: number, unknownAgeIsOld: boolean): boolean {
  if (!nameHolds(c, found.name)) return false;
  if (c.tags) {
    const tags = found.tags ?? {};
    for (const [key, value] of Object.entries(c.tags)) {
      // Own keys only: `constructor` or `toString` is no tag of an untagged resource.
      if (!Object.hasOwn(tags, key) || (value !== "*" && tags[key] !== value)) return false;
    }
  }
  if (c.olderThan !== undefined) {
    if (found.createdAt === undefined) return unknownAgeIsOld;
    if (!(Date.parse(found.createdAt) < olderThanCutoff(c.olderThan, now))) return false;
  }
  return true;
}

/**
 * Cheap first pass on what discover yields: could the name be selected?
 * (Tags and age are checked later, once read, for the survivors only.)
 */
export function mayBeSelected(selector: Selector, name: string): boolean {
  if (selector.names && !selector.names.includes(name)) return false;
  return nameHolds(selector.match ?? {}, name);
}

/** Does the selector need the resource's tags? */
export function needsTags(selector: Selector): boolean {
  return Boolean(selector.match?.tags ?? selector.exclude?.tags);
}

/** Does the selector need the resource's creation date? */
export function needsCreatedAt(selector: Selector): boolean {
  return Boolean(selector.match?.olderThan ?? selector.exclude?.olderThan);
}

/** The full decision: selected by `names` and every `match` condition, and not excluded. */
export function selects(selector: Selector, found: Found, now: number): boolean {
  if (!selector.names && !selector.match) return false; // no selector, no deletion
  if (selector.names && !selector.names.includes(found.name)) return false;
  if (selector.match && !allHold(selector.match, found, now, false)) return false;
  if (selector.exclude && Object.keys(selector.exclude).length > 0 && allHold(selector.exclude, found, now, true)) {
    return false;
  }
  return true;
}

/** The longest prefix all `names` share ("" when they share none). */
function commonPrefix(names: readonly string[]): string {
  let prefix = names[0] ?? "";
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/**
 * What a plugin may push down to its list call: the exact names, and the
 * longest prefix every selected name must have (the selector's prefix, or
 * what its exact names share; both must hold, so the longer implies the other).
 */
export function hintsFor(selector: Selector): DiscoveryHints {
  const shared = selector.names?.length ? commonPrefix(selector.names) : "";
  const given = selector.match?.prefix ?? "";
  const prefix = shared.length > given.length ? shared : given;
  return {
    ...(selector.names ? { names: selector.names } : {}),
    ...(prefix ? { prefix } : {}),
  };
}
