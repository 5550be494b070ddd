/** What `WaitedFor` needs of a node of the executor's graph. */
export interface GraphNode {
  readonly planned: { readonly type: string; readonly action: string };
  /** Resources that name this one in their `dependsOn`. */
  readonly dependents: readonly GraphNode[];
  /** Resource-level dependencies not yet gone. */
  readonly waitingOn: number;
  /** Set once its delete has started. */
  readonly started?: boolean;
  /** Set once it has an outcome. */
  readonly report?: unknown;
}

/** The graph's type barriers, as the executor keeps them. */
export interface TypeBarriers {
  /** Type -> the types it waits for. */
  readonly typeDeps: Readonly<Record<string, readonly string[]>>;
  /** Type -> the types waiting for it. */
  readonly waitersOf: ReadonlyMap<string, readonly string[]>;
  /** Type -> its resources to delete not finished yet. */
  readonly unfinished: ReadonlyMap<string, number>;
}

/**
 * Which resources whose delete returned, and that are being verified gone,
 * something is waiting for now. A resource is waited for when a resource
 * that names it in `dependsOn` has not started, and everything it still
 * waits for is being verified: seeing this one gone could let it start; or
 * when a type waiting for its type has resources not started, and every
 * resource of the types that one waits for is being verified or finished
 * (their own `dependsOn` is not looked at: at worst this one is read at its
 * usual pace sooner than it needed to be). One that nothing depends on is
 * waited for once every resource of the run has reached verify, as then its
 * end is the run's end. Resources a dependency cycle holds back never start,
 * so they count for neither.
 *
 * A resource nothing waits for yet needs no prompt verify: a Personalize
 * recommender being deleted while the campaigns ahead of the dataset group
 * are still going is read at a slower pace, and at its usual poll once it
 * is waited for (at once, if that poll is already past). Once waited for, a
 * resource stays so until it finishes: what it waits with can only finish or
 * reach verify.
 */
export class WaitedFor {
  readonly #barriers: TypeBarriers;
  /** Resources being verified. */
  readonly #verifying = new Set<GraphNode>();
  /** Type -> its resources being verified. */
  readonly #verifyingOfType = new Map<string, number>();
  /** Resource -> its resource-level dependencies being verified. */
  readonly #verifyingDeps = new Map<GraphNode, number>();
  /** Type -> its resources to delete neither started nor finished. */
  readonly #unstartedOfType = new Map<string, number>();
  /** Resources to delete not finished and not being verified. */
  #notVerifying = 0;
  /** Resources sleeping until something waits for them, with what wakes each. */
  readonly #sleeping = new Map<GraphNode, () => void>();

  /** Resources in or behind a dependency cycle: they never start, so nothing waits on them. */
  readonly #neverStart: ReadonlySet<GraphNode>;

  constructor(barriers: TypeBarriers, toDelete: Iterable<GraphNode>) {
    this.#barriers = barriers;
    const nodes = [...toDelete];
    this.#neverStart = neverStart(barriers, nodes);
    for (const node of nodes) {
      if (this.#neverStart.has(node)) continue;
      const type = node.planned.type;
      this.#unstartedOfType.set(type, (this.#unstartedOfType.get(type) ?? 0) + 1);
      this.#notVerifying++;
    }
  }

  /** `node` left the unstarted: its delete started, or it was reported without one. */
  leftUnstarted(node: GraphNode): void {
    if (this.#neverStart.has(node)) return;
    const type = node.planned.type;
    this.#unstartedOfType.set(type, (this.#unstartedOfType.get(type) ?? 0) - 1);
  }

  /** `node`'s delete returned: it is being verified. */
  verifying(node: GraphNode): void {
    if (this.#verifying.has(node)) return;
    this.#verifying.add(node);
    this.#notVerifying--;
    const type = node.planned.type;
    this.#verifyingOfType.set(type, (this.#verifyingOfType.get(type) ?? 0) + 1);
    for (const d of node.dependents) this.#verifyingDeps.set(d, (this.#verifyingDeps.get(d) ?? 0) + 1);
    this.#wakeWaitedFor();
  }

  /** `node` has its outcome (call after the executor has counted it finished). */
  finished(node: GraphNode): void {
    if (node.planned.action !== "delete" || this.#neverStart.has(node)) return;
    if (this.#verifying.delete(node)) {
      const type = node.planned.type;
      this.#verifyingOfType.set(type, this.#verifyingOfType.get(type)! - 1);
      for (const d of node.dependents) this.#verifyingDeps.set(d, this.#verifyingDeps.get(d)! - 1);
    } else {
      this.#notVerifying--;
    }
    this.#wakeWaitedFor();
  }

  /** Whether something waits for `node` now (see the class). */
  isWaitedFor(node: GraphNode): boolean {
    let dependsOnIt = false;
    for (const d of node.dependents) {
      if (d.started || d.report || d.planned.action !== "delete" || this.#neverStart.has(d)) continue;
      dependsOnIt = true;
      if (d.waitingOn === (this.#verifyingDeps.get(d) ?? 0) && this.#barrierVerifying(d.planned.type)) return true;
    }
    for (const waiter of this.#barriers.waitersOf.get(node.planned.type) ?? []) {
      if (!this.#unstartedOfType.get(waiter)) continue;
      dependsOnIt = true;
      if (this.#barrierVerifying(waiter)) return true;
    }
    return !dependsOnIt && this.#notVerifying === 0;
  }

  /**
   * A signal that aborts once something comes to wait for `node`, for a
   * sleep that should end then; `awake` says the sleep is over. The caller
   * sleeps on it itself, so that a poll woken with others due at the same
   * moment reaches their batch as soon as they do.
   */
  wakeWhenWaitedFor(node: GraphNode): AbortSignal {
    const woken = new AbortController();
    this.#sleeping.set(node, () => woken.abort());
    return woken.signal;
  }

  /** `node` no longer sleeps on the signal `wakeWhenWaitedFor` gave. */
  awake(node: GraphNode): void {
    this.#sleeping.delete(node);
  }

  /** Whether every resource of every type `type` waits for has finished or is being verified. */
  #barrierVerifying(type: string): boolean {
    return (this.#barriers.typeDeps[type] ?? []).every(
      (dep) => (this.#barriers.unfinished.get(dep) ?? 0) === (this.#verifyingOfType.get(dep) ?? 0),
    );
  }

  #wakeWaitedFor(): void {
    for (const [node, wake] of this.#sleeping) {
      if (!this.isWaitedFor(node)) continue;
      this.#sleeping.delete(node);
      wake();
    }
  }
}

/**
 * The resources that can never start: those of a dependency cycle (by
 * `dependsOn` or type barriers), and those waiting for one. What every
 * resource finishing in turn never frees.
 */
function neverStart({ typeDeps, waitersOf }: TypeBarriers, toDelete: readonly GraphNode[]): Set<GraphNode> {
  const ofType = new Map<string, GraphNode[]>();
  for (const node of toDelete) {
    const nodes = ofType.get(node.planned.type);
    if (nodes) nodes.push(node);
    else ofType.set(node.planned.type, [node]);
  }
  const members = new Set(toDelete);
  const waiting = new Map<GraphNode, number>();
  for (const node of toDelete) {
    const barriers = (typeDeps[node.planned.type] ?? []).filter((dep) => ofType.has(dep)).length;
    waiting.set(node, node.waitingOn + barriers);
  }
  const left = new Map([...ofType].map(([type, nodes]) => [type, nodes.length]));
  const ready = toDelete.filter((node) => waiting.get(node) === 0);
  const free = (node: GraphNode) => {
    const n = waiting.get(node)! - 1;
    waiting.set(node, n);
    if (n === 0) ready.push(node);
  };
  while (ready.length) {
    const node = ready.pop()!;
    for (const d of node.dependents) if (members.has(d)) free(d);
    const type = node.planned.type;
    left.set(type, left.get(type)! - 1);
    if (left.get(type) === 0)
      for (const waiter of waitersOf.get(type) ?? []) for (const w of ofType.get(waiter) ?? []) free(w);
  }
  return new Set(toDelete.filter((node) => waiting.get(node)! > 0));
}
