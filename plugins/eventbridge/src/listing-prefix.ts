import type { DiscoveryHints } from "@cleanup-runner/plugin-kit";

/**
 * The `NamePrefix` to list with: the selector's prefix, or the longest prefix
 * the selected names share. Only narrows the listing; the engine still
 * applies the whole selector to what discover yields.
 */
export function listingPrefix(hints: DiscoveryHints): string | undefined {
  if (hints.prefix) return hints.prefix;
  const [first, ...rest] = hints.names ?? [];
  if (first === undefined) return undefined;
  let shared = first;
  for (const name of rest) while (!name.startsWith(shared)) shared = shared.slice(0, -1);
  return shared || undefined;
}
