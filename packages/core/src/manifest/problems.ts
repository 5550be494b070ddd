/** A place in a manifest file, 1-based. */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** One thing wrong with a manifest (or the command line), said so a person can fix it. */
export interface Problem {
  /** Where, when there is a place to point at. */
  readonly pos?: SourcePos;
  /** The JSON path inside the manifest, e.g. `resources[2].match`; empty for the whole file. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it, when we can tell: `did you mean "names"?`. */
  readonly hint?: string;
}

/** Renders `file:line:col  path  message (hint)` for people. */
export function formatProblem(problem: Problem): string {
  const where = problem.pos ? `${problem.pos.file}:${problem.pos.line}:${problem.pos.col}` : "";
  const parts = [where, problem.path, problem.message].filter(Boolean);
  return parts.join("  ") + (problem.hint ? ` (${problem.hint})` : "");
}

/** `["resources", 2, "match"]` -> `resources[2].match`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (out, segment) =>
      typeof segment === "number" ? `${out}[${segment}]` : out ? `${out}.${segment}` : String(segment),
    "",
  );
}

/** The closest of `candidates` to `word`, when close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
