const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** `1536` -> `1.5 KiB`, for people reading a plan. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} ${value === 1 ? "byte" : "bytes"}` : `${value.toFixed(1)} ${units[unit]}`;
}
