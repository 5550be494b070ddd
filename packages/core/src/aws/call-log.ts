/** Counts every AWS call of a run, by service and operation, for the report and the bench. */
export class CallLog {
  readonly #counts = new Map<string, Map<string, number>>();

  /** Records one call. */
  record(service: string, operation: string): void {
    let ops = this.#counts.get(service);
    if (!ops) this.#counts.set(service, (ops = new Map<string, number>()));
    ops.set(operation, (ops.get(operation) ?? 0) + 1);
  }

  /** `{ S3: { ListObjectVersions: 12, DeleteObjects: 100 } }`, sorted. */
  toJSON(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const service of [...this.#counts.keys()].sort()) {
      out[service] = Object.fromEntries(
        [...this.#counts.get(service)!.entries()].sort(([a], [b]) => a.localeCompare(b)),
      );
    }
    return out;
  }

  /** All calls made. */
  get total(): number {
    let n = 0;
    for (const ops of this.#counts.values()) for (const c of ops.values()) n += c;
    return n;
  }
}
