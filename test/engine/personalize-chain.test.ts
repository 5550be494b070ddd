/**
 * The workshop's Personalize footprint through the real engine (planner and
 * executor) and the real plugin, on simulated time: a dataset group with 2
 * campaigns, 2 solutions with versions (one still training), an event
 * tracker, a filter, a recommender, a metric attribution, 3 datasets with an
 * import job still running, private and shared schemas, and another team's
 * group that must survive.
 */
import { PersonalizeClient } from "@aws-sdk/client-personalize";
import { FaultInjector, VirtualClock } from "@cleanup-runner/core";
import personalize from "@cleanup-runner/plugin-personalize";
import { buildWorkshopAccount } from "@cleanup-runner/plugin-personalize/testing";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { EngineRun, manifestOf, outcomes } from "./harness.js";

const mock = mockClient(PersonalizeClient);
const minute = 60_000;

function setup() {
  const clock = new VirtualClock();
  const workshop = buildWorkshopAccount({ clock: { now: () => clock.now() } });
  workshop.account.install(mock);
  return { clock, workshop, engine: new EngineRun([personalize], clock) };
}

const groupEntry = (name: string) =>
  manifestOf([{ type: "personalize.dataset-group", names: [name], options: { deleteSchemas: true } }]);

beforeEach(() => mock.reset());

describe("Personalize through the engine", () => {
  it("plans the whole chain from the dataset group and deletes it in order, waiting out what has no delete", async () => {
    const { clock, workshop, engine } = setup();
    const { names, arns, account } = workshop;
    const plan = await clock.run(engine.plan(groupEntry(names.datasetGroup)));
    const planned = plan.resources.map((r) => `${r.type} ${r.found.name}`).sort();
    expect(planned).toEqual(
      [
        `personalize.dataset-group ${names.datasetGroup}`,
        ...names.campaigns.map((n) => `personalize.campaign ${n}`),
        ...names.solutions.map((n) => `personalize.solution ${n}`),
        `personalize.recommender ${names.recommender}`,
        `personalize.filter ${names.filter}`,
        `personalize.event-tracker ${names.eventTracker}`,
        `personalize.metric-attribution ${names.metricAttribution}`,
        ...names.datasets.map((n) => `personalize.dataset ${n}`),
        ...names.privateSchemas.map((n) => `personalize.schema ${n}`),
      ].sort(),
    );
    // The shared schema is kept, and the plan says why; nothing of the other team is planned.
    const notes = plan.resources.flatMap((r) => r.found.notes ?? []).join("\n");
    expect(notes).toContain(names.sharedSchema);
    expect(planned.join()).not.toContain("other-team");
    // Every edge points at something planned, and the group waits for everything in it.
    const group = plan.resources.find((r) => r.type === "personalize.dataset-group")!;
    expect(group.dependsOn.length).toBeGreaterThanOrEqual(10);

    const started = clock.now();
    const { reports } = await clock.run(engine.apply(plan));
    const took = clock.now() - started;
    expect(
      Object.values(outcomes(reports)).every((o) => o === "deleted"),
      JSON.stringify(outcomes(reports)),
    ).toBe(true);
    expect(account.exists(arns.datasetGroup)).toBe(false);
    for (const arn of [...arns.campaigns, ...arns.solutions]) expect(account.exists(arn)).toBe(false);
    expect(account.arnsOf("campaign")).toHaveLength(1); // the other team's
    expect(account.arnsOf("datasetGroup")).toHaveLength(1);
    expect(account.arnsOf("schema")).toHaveLength(1); // the shared one
    // The import job runs 12 minutes and the datasets wait for it; the chain cannot end before.
    expect(took).toBeGreaterThan(12 * minute);
    expect(took).toBeLessThan(40 * minute);
    // Each resource's wait is in the report.
    const items = reports.find((r) => r.name.endsWith("-items"))!;
    expect(items.durationMs).toBeGreaterThan(0);
  });

  it("reports what is still deleting at the deadline as remaining, and a rerun finishes the job", async () => {
    const { clock, workshop, engine } = setup();
    const plan = await clock.run(engine.plan(groupEntry(workshop.names.datasetGroup)));
    const first = await clock.run(engine.apply(plan, { deadlineMs: 3 * minute }));
    const firstOutcomes = Object.values(outcomes(first.reports));
    expect(firstOutcomes).toContain("remaining");
    expect(firstOutcomes).toContain("blocked"); // the dataset group waits for what remains

    const again = await clock.run(engine.plan(groupEntry(workshop.names.datasetGroup)));
    const second = await clock.run(engine.apply(again));
    expect(second.reports.every((r) => r.outcome === "deleted" || r.outcome === "already-gone")).toBe(true);
    expect(workshop.account.exists(workshop.arns.datasetGroup)).toBe(false);
  });

  it("deletes a single campaign selected on its own, and nothing else", async () => {
    const { clock, workshop, engine } = setup();
    const [campaign] = workshop.names.campaigns;
    const plan = await clock.run(engine.plan(manifestOf([{ type: "personalize.campaign", names: [campaign] }])));
    expect(plan.resources.map((r) => r.found.name)).toEqual([campaign]);
    const { reports, session } = await clock.run(engine.apply(plan));
    expect(outcomes(reports)).toEqual({ [`personalize.campaign ${campaign}`]: "deleted" });
    expect(workshop.account.exists(workshop.arns.campaigns[0]!)).toBe(false);
    expect(workshop.account.exists(workshop.arns.campaigns[1]!)).toBe(true);
    expect(Object.keys(session.calls.toJSON().Personalize ?? {}).filter((op) => op.startsWith("Delete"))).toEqual([
      "DeleteCampaign",
    ]);
  });

  it("converges under 20% throttling, 5% 5xx and 2% resets, on simulated time", async () => {
    const clock = new VirtualClock();
    const workshop = buildWorkshopAccount({ clock: { now: () => clock.now() } });
    workshop.account.install(mock);
    const faults = new FaultInjector({ throttle: 0.2, serverError: 0.05, reset: 0.02 }, 9, (ms) => clock.sleep(ms));
    const engine = new EngineRun([personalize], clock, faults);
    const plan = await clock.run(engine.plan(groupEntry(workshop.names.datasetGroup)));
    expect(plan.notices).toEqual([]);
    const { reports } = await clock.run(engine.apply(plan));
    expect(reports.map((r) => r.outcome).filter((o) => o !== "deleted")).toEqual([]);
    expect(workshop.account.exists(workshop.arns.datasetGroup)).toBe(false);
    expect(workshop.account.arnsOf("campaign")).toHaveLength(1); // the other team's
    expect(faults.counts.throttle).toBeGreaterThan(5);
  });
});

describe("Personalize's waits", () => {
  it("reads each wait of minutes a few times, not every few seconds, and still sees the chain end soon after it does", async () => {
    const { clock, workshop, engine } = setup();
    const plan = await clock.run(engine.plan(groupEntry(workshop.names.datasetGroup)));
    const started = clock.now();
    const { reports, session } = await clock.run(engine.apply(plan));
    const took = clock.now() - started;
    expect(reports.every((r) => r.outcome === "deleted")).toBe(true);
    const calls = Object.entries(session.calls.toJSON().Personalize ?? {});
    const reads = calls.filter(([op]) => /^(Describe|List)/.test(op)).reduce((sum, [, n]) => sum + n, 0);
    // 14 resources whose deletes, and the training and jobs they wait for, take 1 to 12 minutes each:
    // 21 reads (at a fixed 15 s, and checks on a backoff from 1 s, they took 82)
    expect(reads).toBeLessThanOrEqual(25);
    // read every few seconds, the chain is seen to end at 16 minutes (the import job's 12, then the
    // datasets' delete, the group's): each of its two last waits is seen at most a poll (2 min) late
    expect(took).toBeLessThanOrEqual(20 * minute);
  });
});
