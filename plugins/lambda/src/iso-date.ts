/**
 * Lambda dates (`2024-05-01T10:00:00.000+0000`, or nine fraction digits on
 * emulators) -> ISO 8601 with `Z`; undefined when absent or unreadable.
 */
export function isoDate(lambdaDate: string | undefined): string | undefined {
  if (!lambdaDate) return undefined;
  const time = Date.parse(lambdaDate);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
