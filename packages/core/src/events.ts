import type { Outcome } from "./report.js";

/** What the engine tells whoever watches a run (the CLI's progress view, tests). */
export type EngineEvent =
  | { readonly kind: "discovering"; readonly type: string; readonly region: string }
  | {
      readonly kind: "state";
      readonly key: string;
      readonly state: "waiting" | "deleting" | "retrying" | "verifying";
      readonly message?: string;
    }
  | { readonly kind: "progress"; readonly key: string; readonly message: string }
  | { readonly kind: "done"; readonly key: string; readonly outcome: Outcome; readonly message?: string };

/** A listener of engine events; must not throw. */
export type EngineEvents = (event: EngineEvent) => void;
