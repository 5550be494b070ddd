/**
 * What both fault suites of the student-system manifest share: the manifest
 * loaded for one student's prefix, and sessions that inject faults and record
 * the calls that change something.
 */
import { fileURLToPath } from "node:url";
import { builtinPlugins } from "@cleanup-runner/cli";
import { AwsSession, loadManifest, Registry, type FaultInjector, type ResolvedManifest } from "@cleanup-runner/core";
import { isReadOnlyOperation } from "@cleanup-runner/plugin-kit";

const manifestFile = fileURLToPath(new URL("../../manifests/student-system.yaml", import.meta.url));

/**
 * manifests/student-system.yaml for one student's `prefix`, with every
 * built-in plugin; entries of the types in `without` left out (those the
 * emulator lacks).
 */
export async function studentSystemManifest(
  prefix: string,
  without: ReadonlySet<string> = new Set(),
): Promise<{ manifest: ResolvedManifest; registry: Registry }> {
  const registry = new Registry(builtinPlugins);
  const loaded = await loadManifest(manifestFile, { vars: { prefix }, registryFor: async () => ({ registry }) });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const manifest = { ...loaded.manifest, entries: loaded.manifest.entries.filter((e) => !without.has(e.type)) };
  return { manifest, registry };
}

/** A mutating call a session made: its operation and its input as JSON. */
export interface Mutation {
  readonly operation: string;
  readonly input: string;
}

/**
 * Sessions in us-east-1 that all inject `faults`, recording every mutating
 * call's input (of any session) and how many calls the read-write ones made
 * (what the report's `apiCallTotal` must count).
 */
export function recordingSessions(faults: FaultInjector): {
  session(readOnly: boolean): AwsSession;
  readonly mutations: Mutation[];
  readonly applyCalls: number;
} {
  const mutations: Mutation[] = [];
  let applyCalls = 0;
  return {
    session: (readOnly) =>
      new AwsSession({
        region: "us-east-1",
        readOnly,
        faults,
        beforeCall: (_service, operation, input) => {
          if (!readOnly) applyCalls++;
          if (!isReadOnlyOperation(operation)) mutations.push({ operation, input: JSON.stringify(input) });
        },
      }),
    mutations,
    get applyCalls() {
      return applyCalls;
    },
  };
}
