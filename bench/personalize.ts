import { PersonalizeClient } from "@aws-sdk/client-personalize";
import { VirtualClock } from "@cleanup-runner/core";
import personalize from "@cleanup-runner/plugin-personalize";
import { buildWorkshopAccount } from "@cleanup-runner/plugin-personalize/testing";
import { mockClient } from "aws-sdk-client-mock";
import { benchManifest, printFigures, runEngine } from "./harness.js";

const minutes = (ms: number) => `${(ms / 60_000).toFixed(2)} min`;

/**
 * Deletes the workshop's Personalize chain (2 campaigns, 2 solutions, one
 * training, a batch job and an import job still running, recommender,
 * filter, event tracker, metric attribution, 3 datasets, schemas) through
 * the engine on simulated time, twice: as configured (the types' polling,
 * `latencyMs` per call), and with 1 s polling and no latency. The second run
 * is the floor the account's own waits set (the import job, the training
 * stop, each DELETE PENDING / IN_PROGRESS phase along the chain); the first
 * shows what polling and latency add to it.
 */
export async function benchPersonalize(latencyMs: number): Promise<void> {
  const configured = await runChain(latencyMs, undefined);
  const floor = await runChain(0, 1_000);
  printFigures(`personalize: the workshop's dataset group chain, ${latencyMs} ms per call`, [
    [
      "resources deleted",
      `${configured.reports.filter((r) => r.outcome === "deleted").length} of ${configured.reports.length}`,
    ],
    ["chain, as configured", minutes(configured.ms)],
    ["sum of the unavoidable waits (1 s polls, no latency)", minutes(floor.ms)],
    ["ratio", `x${(configured.ms / floor.ms).toFixed(2)}`],
    ["API calls", `${configured.calls} (plan and apply; polling included)`],
  ]);
}

async function runChain(latencyMs: number, pollIntervalMs: number | undefined) {
  const clock = new VirtualClock();
  const mock = mockClient(PersonalizeClient);
  const workshop = buildWorkshopAccount({ clock: { now: () => clock.now() } });
  workshop.account.install(mock);
  const manifest = benchManifest([
    { type: "personalize.dataset-group", names: [workshop.names.datasetGroup], options: { deleteSchemas: true } },
  ]);
  const measured = await runEngine([personalize], manifest, clock, {
    ...(pollIntervalMs ? { pollIntervalMs } : {}),
    session: { beforeCall: () => (latencyMs ? clock.sleep(latencyMs) : undefined) },
  });
  mock.restore();
  const reports = measured.resources;
  if (reports.some((r) => r.outcome !== "deleted")) throw new Error(`chain did not finish: ${JSON.stringify(reports)}`);
  return { ms: measured.simulatedMs, reports, calls: measured.totalCalls };
}
