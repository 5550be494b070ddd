/**
 * State a plugin keeps for one run and region, made on first use: the engine
 * hands every call of a run and region the same SDK client, so state kept
 * per client ends with the run. For what the run has done that a later
 * delete must know (the roles it deleted, the trainings it asked to stop).
 */
export function perClient<C extends object, S>(create: () => S): (client: C) => S {
  const states = new WeakMap<C, S>();
  return (client) => {
    let state = states.get(client);
    if (state === undefined) states.set(client, (state = create()));
    return state;
  };
}

/** One run of a read shared by `sharedWhileRecent`, and when it began. */
export interface RecentRead<T> {
  /** The engine's clock when it began (`ctx.now()`). */
  readonly startedAt: number;
  readonly value: Promise<T>;
}

/**
 * A read that every caller of one SDK client (a run and region) shares while
 * it is at most `maxAgeMs` old by the engine's clock (`ctx.now()`), and no
 * older than a caller's `notBefore`: one region-wide listing answering the
 * deletes or waits of many resources at once. A read still running is shared
 * too; a failed one is dropped, so that the next caller reads again. For
 * delete and wait, where a listing a few seconds old is fresh enough; what
 * must be read at the moment of acting is not for this.
 */
export function sharedWhileRecent<C extends object, T>(
  maxAgeMs: number,
  read: (client: C) => Promise<T>,
): (client: C, now: number, notBefore?: number) => RecentRead<T> {
  const last = new WeakMap<C, RecentRead<T>>();
  return (client, now, notBefore = -Infinity) => {
    const known = last.get(client);
    if (known && known.startedAt >= notBefore && now - known.startedAt <= maxAgeMs) return known;
    const fresh: RecentRead<T> = { startedAt: now, value: read(client) };
    last.set(client, fresh);
    fresh.value.catch(() => {
      if (last.get(client) === fresh) last.delete(client);
    });
    return fresh;
  };
}
