import type { EngineEvent, EngineEvents, Plan } from "@cleanup-runner/core";
import { Listr } from "listr2";
import { pc } from "../colors.js";
import type { Io } from "../io.js";

/** Shows an apply as it goes, and stops when the run ends. */
export interface ProgressView {
  readonly events: EngineEvents;
  /** Waits for the view to draw its last frame. */
  finish(): Promise<void>;
}

/** `type name (region)` of a resource of the plan, by key; looked up per event, so indexed once. */
function labeller(plan: Plan): (key: string) => string {
  const byKey = new Map(plan.resources.map((r) => [r.key, r]));
  return (key) => {
    const r = byKey.get(key);
    return r ? `${r.type} ${r.found.name}${r.region === "global" ? "" : ` (${r.region})`}` : key;
  };
}

/** One plain line per state change: for logs, CI and pipes. */
function plainProgress(plan: Plan, io: Io): ProgressView {
  const label = labeller(plan);
  const last = new Map<string, string>();
  return {
    events(event: EngineEvent) {
      if (event.kind === "discovering") return;
      const what =
        event.kind === "done" ? event.outcome : event.kind === "state" ? event.state : `progress: ${event.message}`;
      if (event.kind !== "progress" && last.get(event.key) === what) return;
      if (event.kind === "state" && event.state === "waiting") return;
      last.set(event.key, what);
      const message = event.kind !== "progress" && event.message ? `: ${event.message}` : "";
      io.stderr.write(`${new Date().toISOString().slice(11, 19)} ${what.padEnd(12)} ${label(event.key)}${message}\n`);
    },
    finish: () => Promise.resolve(),
  };
}

/** A live view on a terminal: one line per resource type, with counts and the latest progress. */
function livePlanProgress(plan: Plan): ProgressView {
  const label = labeller(plan);
  const keysByType = new Map<string, string[]>();
  for (const r of plan.resources) {
    if (r.action !== "delete") continue;
    const keys = keysByType.get(r.type);
    if (keys) keys.push(r.key);
    else keysByType.set(r.type, [r.key]);
  }
  const types = [...keysByType.keys()];
  const states = new Map<string, string>();
  const details = new Map<string, string>();
  const finished = new Map<string, () => void>();
  const titles = new Map<string, (title: string, output?: string) => void>();
  const redraw = (type: string) => {
    const keys = keysByType.get(type) ?? [];
    const counts = new Map<string, number>();
    for (const k of keys) counts.set(states.get(k) ?? "waiting", (counts.get(states.get(k) ?? "waiting") ?? 0) + 1);
    const summary = [...counts.entries()].map(([s, n]) => `${n} ${s}`).join(", ");
    const latest = keys
      .map((k) => details.get(k))
      .filter(Boolean)
      .at(-1);
    titles.get(type)?.(`${type}: ${summary}`, latest);
    const done = keys.every((k) =>
      ["deleted", "already-gone", "failed", "remaining", "blocked", "not-started"].includes(states.get(k) ?? ""),
    );
    if (done) finished.get(type)?.();
  };
  const list = new Listr(
    types.map((type) => ({
      title: type,
      task: (_: unknown, task: { title: string; output: string }) =>
        new Promise<void>((resolve) => {
          titles.set(type, (title, output) => {
            task.title = title;
            if (output) task.output = output;
          });
          finished.set(type, resolve);
          redraw(type);
        }),
    })),
    { concurrent: true, exitOnError: false, rendererOptions: { collapseSubtasks: false }, renderer: "default" },
  );
  const running = list.run().catch(() => undefined);
  return {
    events(event: EngineEvent) {
      if (event.kind === "discovering") return;
      const type = event.key.split("|")[0]!;
      if (event.kind === "done") states.set(event.key, event.outcome);
      else if (event.kind === "state") states.set(event.key, event.state);
      else details.set(event.key, `${label(event.key)}: ${event.message}`);
      if (event.kind === "done" && event.message)
        details.set(event.key, `${label(event.key)}: ${pc.dim(event.message)}`);
      redraw(type);
    },
    async finish() {
      for (const type of types) finished.get(type)?.();
      await running;
    },
  };
}

/** Live progress on a terminal, plain lines otherwise. */
export function createProgress(plan: Plan, io: Io): ProgressView {
  return io.stderr.isTTY && !io.env.CI ? livePlanProgress(plan) : plainProgress(plan, io);
}
