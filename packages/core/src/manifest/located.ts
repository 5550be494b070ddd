import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { Problem, SourcePos } from "./problems.js";

/** Where the keys and values of one parsed object or array stand in their file. */
interface Positions {
  readonly self: SourcePos;
  readonly keys: Map<string | number, SourcePos>;
  readonly values: Map<string | number, SourcePos>;
}

// Side table from parsed objects to their positions: the values stay plain
// JSON (merging, validation and vars work on them as they are) while every
// error can still point at file:line:col.
const positions = new WeakMap<object, Positions>();

/**
 * Parses YAML text into plain values and remembers where each key and value
 * came from. Syntax errors come back as located problems, never thrown.
 */
export function parseLocatedYaml(file: string, text: string): { value: unknown; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | undefined): SourcePos => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { file, line, col };
  };
  const problems: Problem[] = doc.errors.map((error) => ({
    pos: at(error.pos[0]),
    path: "",
    message: `YAML syntax: ${error.message.split("\n")[0]}`,
  }));
  if (problems.length > 0) return { value: undefined, problems };
  return { value: toPlain(doc.contents, doc, at), problems };
}

function toPlain(node: Node | null, doc: Document, at: (offset: number | undefined) => SourcePos): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return toPlain(node.resolve(doc) as Node | null, doc, at);
  if (isScalar(node)) return node.value;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const pos: Positions = { self: at(node.range?.[0]), keys: new Map(), values: new Map() };
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = String(isScalar(keyNode) ? keyNode.value : toPlain(keyNode, doc, at));
      const valueNode = pair.value as Node | null;
      pos.keys.set(key, at(keyNode?.range?.[0]));
      pos.values.set(key, at(valueNode?.range?.[0] ?? keyNode?.range?.[0]));
      out[key] = toPlain(valueNode, doc, at);
    }
    positions.set(out, pos);
    return out;
  }
  if (isSeq(node)) {
    const out: unknown[] = [];
    const pos: Positions = { self: at(node.range?.[0]), keys: new Map(), values: new Map() };
    node.items.forEach((item, index) => {
      const itemNode = item as Node | null;
      pos.keys.set(index, at(itemNode?.range?.[0]));
      pos.values.set(index, at(itemNode?.range?.[0]));
      out.push(toPlain(itemNode, doc, at));
    });
    positions.set(out, pos);
    return out;
  }
  return null;
}

/**
 * Where `path` stands, as close as is known: the key itself (`key: true`,
 * for "unknown property" errors) or its value; a path that does not exist
 * (a missing property) points at its nearest existing parent.
 */
export function positionOf(
  root: unknown,
  path: readonly (string | number)[],
  options: { key?: boolean } = {},
): SourcePos | undefined {
  let node: unknown = root;
  let best = typeof root === "object" && root !== null ? positions.get(root)?.self : undefined;
  for (const [i, segment] of path.entries()) {
    if (typeof node !== "object" || node === null) break;
    const pos = positions.get(node);
    const last = i === path.length - 1;
    const here = last && options.key ? pos?.keys.get(segment) : pos?.values.get(segment);
    if (here) best = here;
    else break;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return best;
}

/**
 * Makes `target` (built by merging) point at the positions of `sources`' keys,
 * later sources winning, so merged manifests still locate their errors.
 */
export function mergePositions(target: object, sources: readonly object[]): void {
  const merged: Positions | undefined = sources
    .map((s) => positions.get(s))
    .reduce<Positions | undefined>((acc, p) => {
      if (!p) return acc;
      if (!acc) return { self: p.self, keys: new Map(p.keys), values: new Map(p.values) };
      for (const [k, v] of p.keys) acc.keys.set(k, v);
      for (const [k, v] of p.values) acc.values.set(k, v);
      return acc;
    }, undefined);
  if (merged) positions.set(target, merged);
}

/** Records positions for an array made by concatenating parsed arrays. */
export function concatPositions(target: unknown[], parts: readonly unknown[][]): void {
  const pos: Positions | undefined = parts.map((p) => positions.get(p)).find(Boolean);
  if (!pos) return;
  const out: Positions = { self: pos.self, keys: new Map(), values: new Map() };
  let index = 0;
  for (const part of parts) {
    const p = positions.get(part);
    part.forEach((_, i) => {
      const at = p?.values.get(i) ?? p?.self;
      if (at) {
        out.keys.set(index, at);
        out.values.set(index, at);
      }
      index++;
    });
  }
  positions.set(target, out);
}

/** Copies the positions of one value onto a copy of it (vars substitution, matrix expansion). */
export function copyPositions(from: object, to: object): void {
  const pos = positions.get(from);
  if (pos) positions.set(to, pos);
}

/** Positions for an array whose item `i` was made from `source[sourceIndex[i]]` (matrix expansion). */
export function remapArrayPositions(target: unknown[], source: unknown[], sourceIndex: readonly number[]): void {
  const pos = positions.get(source);
  if (!pos) return;
  const out: Positions = { self: pos.self, keys: new Map(), values: new Map() };
  sourceIndex.forEach((from, i) => {
    const at = pos.values.get(from);
    if (at) {
      out.keys.set(i, at);
      out.values.set(i, at);
    }
  });
  positions.set(target, out);
}
