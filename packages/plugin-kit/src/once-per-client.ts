import { perClient } from "./per-client.js";

/**
 * A read made once per SDK client (so once per run and region, as the engine
 * caches one client each), shared by concurrent callers: for what planning
 * reads region-wide and every resource of a type consults. A failed read
 * (throttled, denied) is dropped, so that the next caller reads again. Not
 * for delete or verify, which must see the account as it is.
 */
export function oncePerClient<C extends object, T>(read: (client: C) => Promise<T>): (client: C) => Promise<T> {
  const once = oncePerClientAndKey(read, () => "");
  return (client) => once(client, undefined);
}

/**
 * `oncePerClient` for a read that takes an argument (a rule, a solution):
 * once per client and `keyOf(argument)`, shared by concurrent callers; a
 * failed read is dropped, so that the next caller reads again.
 */
export function oncePerClientAndKey<C extends object, A, T>(
  read: (client: C, argument: A) => Promise<T>,
  keyOf: (argument: A) => string,
): (client: C, argument: A) => Promise<T> {
  const readsOf = perClient<C, Map<string, Promise<T>>>(() => new Map());
  return (client, argument) => {
    const byKey = readsOf(client);
    const key = keyOf(argument);
    const known = byKey.get(key);
    if (known) return known;
    const pending = read(client, argument);
    byKey.set(key, pending);
    void pending.catch(() => {
      if (byKey.get(key) === pending) byKey.delete(key);
    });
    return pending;
  };
}
