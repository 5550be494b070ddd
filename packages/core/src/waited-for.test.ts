import { describe, expect, it } from "vitest";
import { WaitedFor, type GraphNode } from "./waited-for.js";

/** A node to delete of `type`; `dependents` are filled by `dependsOn`. */
interface TestNode extends GraphNode {
  dependents: TestNode[];
  waitingOn: number;
  started?: boolean;
  report?: unknown;
}

const node = (type: string): TestNode => ({ planned: { type, action: "delete" }, dependents: [], waitingOn: 0 });

/** `dependent` names `dependency` in its dependsOn. */
function dependsOn(dependent: TestNode, dependency: TestNode): void {
  dependency.dependents.push(dependent);
  dependent.waitingOn++;
}

/** The executor's bookkeeping around WaitedFor, for nodes whose types wait as `typeDeps` says. */
function graph(typeDeps: Record<string, string[]>, nodes: TestNode[]) {
  const waitersOf = new Map<string, string[]>();
  for (const [type, deps] of Object.entries(typeDeps)) {
    for (const dep of deps) waitersOf.set(dep, [...(waitersOf.get(dep) ?? []), type]);
  }
  const unfinished = new Map<string, number>();
  for (const n of nodes) unfinished.set(n.planned.type, (unfinished.get(n.planned.type) ?? 0) + 1);
  const waitedFor = new WaitedFor({ typeDeps, waitersOf, unfinished }, nodes);
  return {
    waitedFor,
    start(n: TestNode) {
      n.started = true;
      waitedFor.leftUnstarted(n);
    },
    /** Started, deleted, and now verified: as the executor's run does before its first poll. */
    verifying(n: TestNode) {
      if (!n.started) this.start(n);
      waitedFor.verifying(n);
    },
    finish(n: TestNode, gone = true) {
      n.report = { outcome: gone ? "deleted" : "failed" };
      unfinished.set(n.planned.type, unfinished.get(n.planned.type)! - 1);
      for (const d of n.dependents) if (gone) d.waitingOn--;
      waitedFor.finished(n);
    },
  };
}

describe("WaitedFor", () => {
  it("a resource whose type another waits for is waited for once every resource that type waits for is verifying", () => {
    // the Personalize shape: datasets wait for recommenders and solutions; solutions for campaigns
    const recommender = node("p.recommender");
    const campaign = node("p.campaign");
    const solution = node("p.solution");
    const dataset = node("p.dataset");
    const g = graph({ "p.dataset": ["p.recommender", "p.solution"], "p.solution": ["p.campaign"] }, [
      recommender,
      campaign,
      solution,
      dataset,
    ]);
    g.verifying(recommender);
    g.verifying(campaign);
    // the campaign is what the solutions wait for; the recommender waits with a solution not yet deleted
    expect(g.waitedFor.isWaitedFor(campaign)).toBe(true);
    expect(g.waitedFor.isWaitedFor(recommender)).toBe(false);
    const wake = g.waitedFor.wakeWhenWaitedFor(recommender);
    g.finish(campaign);
    g.start(solution);
    expect(wake.aborted).toBe(false);
    g.verifying(solution);
    // now seeing the recommender gone could let the datasets start
    expect(g.waitedFor.isWaitedFor(recommender)).toBe(true);
    expect(wake.aborted).toBe(true);
  });

  it("by dependsOn: waited for once everything the dependent still waits for is verifying", () => {
    const a = node("x.a");
    const b = node("x.b");
    const d = node("x.d");
    dependsOn(d, a);
    dependsOn(d, b);
    const g = graph({}, [a, b, d]);
    g.verifying(a);
    g.start(b);
    expect(g.waitedFor.isWaitedFor(a)).toBe(false);
    g.verifying(b);
    expect(g.waitedFor.isWaitedFor(a)).toBe(true);
    expect(g.waitedFor.isWaitedFor(b)).toBe(true);
  });

  it("one nothing depends on is waited for once every resource of the run is verifying or finished", () => {
    const leaf = node("x.leaf");
    const other = node("x.other");
    const last = node("x.last");
    const g = graph({}, [leaf, other, last]);
    g.verifying(leaf);
    g.start(other);
    expect(g.waitedFor.isWaitedFor(leaf)).toBe(false);
    const wake = g.waitedFor.wakeWhenWaitedFor(leaf);
    g.finish(other);
    // `last` has not started yet
    expect(wake.aborted).toBe(false);
    g.verifying(last);
    expect(wake.aborted).toBe(true);
  });

  it("a dependent that started, or was reported without a delete, waits for nothing", () => {
    const a = node("x.a");
    const failed = node("x.failed");
    const blocked = node("x.blocked");
    const other = node("x.other");
    dependsOn(blocked, a);
    dependsOn(blocked, failed);
    const g = graph({}, [a, failed, blocked, other]);
    g.verifying(a);
    g.start(other);
    g.start(failed);
    g.finish(failed, false);
    // the executor reports what waited for a failed resource blocked
    blocked.report = { outcome: "blocked" };
    g.waitedFor.leftUnstarted(blocked);
    g.waitedFor.finished(blocked);
    // nothing can start behind `a` now: a resource nothing depends on, while `other` still deletes
    expect(g.waitedFor.isWaitedFor(a)).toBe(false);
    g.verifying(other);
    expect(g.waitedFor.isWaitedFor(a)).toBe(true);
  });

  it("a sleep that ended is not woken later", () => {
    const leaf = node("x.leaf");
    const other = node("x.other");
    const g = graph({}, [leaf, other]);
    g.verifying(leaf);
    const wake = g.waitedFor.wakeWhenWaitedFor(leaf);
    g.waitedFor.awake(leaf);
    g.verifying(other);
    expect(wake.aborted).toBe(false);
  });
});

describe("WaitedFor with a dependency cycle", () => {
  /** x and y of type c.a wait for each other, x also for `dep`; `leaf` and `other` wait for nothing. */
  function cycle() {
    const x = node("c.a");
    const y = node("c.a");
    const dep = node("c.dep");
    dependsOn(x, y);
    dependsOn(y, x);
    dependsOn(x, dep);
    return { x, y, dep, leaf: node("c.leaf"), other: node("c.other") };
  }

  it("what a cycle holds back never starts: it keeps nothing from being waited for", () => {
    // besides the cycle, every c.w waits for every c.a
    const { x, y, dep, leaf, other } = cycle();
    const w = node("c.w");
    const g = graph({ "c.w": ["c.a"] }, [x, y, dep, w, leaf, other]);
    g.verifying(leaf);
    g.verifying(dep);
    g.start(other);
    expect(g.waitedFor.isWaitedFor(leaf)).toBe(false);
    const wakeLeaf = g.waitedFor.wakeWhenWaitedFor(leaf);
    const wakeDep = g.waitedFor.wakeWhenWaitedFor(dep);
    g.verifying(other);
    // x, y and w can never start: the run ends with what is verifying now
    expect(wakeLeaf.aborted).toBe(true);
    expect(wakeDep.aborted).toBe(true);
  });

  it("a resource of a cycle reported blocked leaves the others' counts as they were", () => {
    const { x, y, dep, leaf, other } = cycle();
    const g = graph({}, [x, y, dep, leaf, other]);
    g.verifying(leaf);
    g.start(dep);
    g.finish(dep, false);
    // the executor reports what waited for a failed resource blocked, and what waited for that in turn
    for (const n of [x, y]) {
      n.report = { outcome: "blocked" };
      g.waitedFor.leftUnstarted(n);
      g.finish(n, false);
    }
    // `other` has not started: the leaf is not the run's last yet
    expect(g.waitedFor.isWaitedFor(leaf)).toBe(false);
    g.verifying(other);
    expect(g.waitedFor.isWaitedFor(leaf)).toBe(true);
  });
});
