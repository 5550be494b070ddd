/**
 * A read made once per SDK client (so once per run and region, as the engine
 * caches one client each), shared by concurrent callers: for what planning
 * reads region-wide and every resource of a type consults. A failed read
 * (throttled, denied) is dropped, so that the next caller reads again. Not
 * for delete or verify, which must see the account as it is.
 */
export function oncePerClient<C extends object, T>(read: (client: C) => Promise<T>): (client: C) => Promise<T> {
  const reads = new WeakMap<C, Promise<T>>();
  return (client) => {
    const known = reads.get(client);
    if (known) return known;
    const pending = read(client);
    reads.set(client, pending);
    void pending.catch(() => {
      if (reads.get(client) === pending) reads.delete(client);
    });
    return pending;
  };
}
