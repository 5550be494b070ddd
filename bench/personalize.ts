import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { PersonalizeClient } from "@aws-sdk/client-personalize";
import { AwsSession, buildPlan, executePlan, Registry, VirtualClock, type ResourceReport } from "@cleanup-runner/core";
import personalize from "@cleanup-runner/plugin-personalize";
import { buildWorkshopAccount } from "@cleanup-runner/plugin-personalize/testing";
import { mockClient } from "aws-sdk-client-mock";
import pino from "pino";
import { benchManifest, printFigures } from "./harness.js";

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
  const sts = mockClient(STSClient);
  sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/bench" });
  const workshop = buildWorkshopAccount({ clock: { now: () => clock.now() } });
  workshop.account.install(mock);
  const session = new AwsSession({
    region: "us-east-1",
    readOnly: false,
    clientConfig: { credentials: { accessKeyId: "bench", secretAccessKey: "bench" } },
    beforeCall: () => (latencyMs ? clock.sleep(latencyMs) : undefined),
  });
  const registry = new Registry([personalize]);
  const logger = pino({ level: "silent" });
  const signal = new AbortController().signal;
  const manifest = benchManifest([
    { type: "personalize.dataset-group", names: [workshop.names.datasetGroup], options: { deleteSchemas: true } },
  ]);
  const start = clock.now();
  const reports: ResourceReport[] = await clock.run(
    (async () => {
      const plan = await buildPlan({ manifest, registry, session, regions: ["us-east-1"], logger, clock, signal });
      return executePlan({
        plan,
        registry,
        session,
        logger,
        clock,
        signal,
        ...(pollIntervalMs ? { pollIntervalMs } : {}),
      });
    })(),
  );
  mock.restore();
  sts.restore();
  if (reports.some((r) => r.outcome !== "deleted")) throw new Error(`chain did not finish: ${JSON.stringify(reports)}`);
  return { ms: clock.now() - start, reports, calls: session.calls.total };
}
