/** Operation name prefixes that only read (AWS's naming convention). */
const readOnlyPrefixes = ["List", "Describe", "Get", "Head", "Lookup", "Search", "BatchGet", "Query", "Scan"];

/**
 * True when an AWS operation only reads: `ListBuckets`, `DescribeTable`,
 * `GetRole`, `HeadBucket`... The engine refuses anything else while planning,
 * and the contract suite checks discovery and describe with it.
 */
export function isReadOnlyOperation(operation: string): boolean {
  return readOnlyPrefixes.some(
    (p) => operation === p || (operation.startsWith(p) && /[A-Z]/.test(operation.charAt(p.length))),
  );
}
