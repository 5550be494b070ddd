/** The first few names for a plan note, not a wall of them: `a, b, c, ...`. */
export function sample(names: readonly string[], shown = 5): string {
  return names.length > shown ? `${names.slice(0, shown).join(", ")}, ...` : names.join(", ");
}
