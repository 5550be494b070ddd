/**
 * The workshop's whole Personalize chain through every type of the plugin,
 * planned as the engine plans it (the dataset group selected by name, its
 * companions found by each type's own discover with exact names) and run in
 * dependency order on the simulated clock. Checks that companion names match
 * what each type discovers, that the order satisfies every AWS rule the
 * simulated account enforces, and that the other team's resources survive.
 */
import { PersonalizeClient, StopSolutionVersionCreationCommand } from "@aws-sdk/client-personalize";
import { isResourceError, type Found, type ResourceType } from "@cleanup-runner/plugin-kit";
import { collect, testContext } from "@cleanup-runner/plugin-kit/testing";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import plugin from "./index.js";
import { ManualClock, buildWorkshopAccount } from "./testing/index.js";

const personalize = mockClient(PersonalizeClient);
const tickMs = 15_000;

beforeEach(() => {
  personalize.reset();
});

interface Planned {
  readonly type: ResourceType;
  readonly found: Found;
  readonly options: Record<string, unknown>;
  /** Indexes of planned resources that must be gone first. */
  readonly after: Set<number>;
  state: "waiting" | "deleting" | "gone";
  acceptedAt?: number;
  goneAt?: number;
}

function typeNamed(name: string): ResourceType {
  const type = plugin.resources.find((r) => r.type === name);
  if (!type) throw new Error(`no type ${name}`);
  return type;
}

type ContextOf = (
  type: ResourceType,
  options: Record<string, unknown>,
) => ReturnType<typeof testContext<Record<string, unknown>>>;

/**
 * Contexts as the engine makes them for one run and region: every type's
 * share one client (and so the plugin's reads kept per client), and `now()`
 * is the run's clock.
 */
function runContexts(clock: ManualClock): ContextOf {
  const { client } = testContext();
  return (type, options) => ({ ...testContext({ resource: type, options }), client, now: () => clock.now() });
}

/** Plans one entry and its companions, with type-level and companion edges. */
async function plan(
  contextOf: ContextOf,
  typeName: string,
  names: string[],
  options: Record<string, unknown>,
): Promise<Planned[]> {
  const planned: Planned[] = [];
  const edges: [dependent: number, dependency: number][] = [];
  const select = async (type: ResourceType, wanted: readonly string[], opts: Record<string, unknown>) => {
    const ctx = contextOf(type, opts);
    const kept = (await collect(type.discover(ctx, { names: wanted }))).filter((f) => wanted.includes(f.name));
    expect(kept.map((f) => f.name).sort()).toEqual([...wanted].sort());
    const indexes: number[] = [];
    for (const found of kept) {
      const described = type.describe ? await type.describe(ctx, found) : found;
      indexes.push(planned.push({ type, found: described, options: opts, after: new Set(), state: "waiting" }) - 1);
    }
    return indexes;
  };
  for (const owner of await select(typeNamed(typeName), names, options)) {
    for (const companion of planned[owner]!.found.companions ?? []) {
      for (const index of await select(typeNamed(companion.type), companion.names, {})) {
        edges.push(companion.order === "before" ? [owner, index] : [index, owner]);
      }
    }
  }
  planned.forEach((p) => {
    const types = p.type.dependsOn ?? [];
    planned.forEach((q, j) => {
      if (types.includes(q.type.type)) p.after.add(j);
    });
  });
  for (const [dependent, dependency] of edges) planned[dependent]!.after.add(dependency);
  return planned;
}

/** Runs the plan like the engine: start when dependencies are gone, retry what is pending, poll verify. */
async function run(contextOf: ContextOf, planned: Planned[], clock: ManualClock, limitMs: number): Promise<number> {
  const started = clock.now();
  while (planned.some((p) => p.state !== "gone") && clock.now() - started < limitMs) {
    for (const p of planned) {
      const ctx = contextOf(p.type, p.options);
      if (p.state === "waiting" && [...p.after].every((i) => planned[i]!.state === "gone")) {
        try {
          await p.type.delete(ctx, p.found);
          p.state = "deleting";
          p.acceptedAt = clock.now();
        } catch (error) {
          if (!isResourceError(error) || error.kind !== "dependency-pending") throw error;
        }
      }
      if (p.state === "deleting" && (await p.type.verify(ctx, p.found)) === "gone") {
        p.state = "gone";
        p.goneAt = clock.now();
      }
    }
    if (planned.some((p) => p.state !== "gone")) clock.advance(tickMs);
  }
  return clock.now() - started;
}

describe("the workshop's Personalize chain", () => {
  it("deletes the dataset group and everything in it in order, keeping the other team's resources", async () => {
    const clock = new ManualClock();
    const { account, arns, names } = buildWorkshopAccount({ clock });
    account.install(personalize);

    const contextOf = runContexts(clock);
    const planned = await plan(contextOf, "personalize.dataset-group", [names.datasetGroup], { deleteSchemas: true });
    const byName = (name: string) => planned.find((p) => p.found.name === name)!;
    expect(planned.map((p) => p.found.name).sort()).toEqual(
      [
        names.datasetGroup,
        ...names.campaigns,
        ...names.solutions,
        names.recommender,
        names.filter,
        names.eventTracker,
        names.metricAttribution,
        ...names.datasets,
        ...names.privateSchemas,
      ].sort(),
    );

    const elapsed = await run(contextOf, planned, clock, 60 * 60_000);

    expect(planned.filter((p) => p.state !== "gone").map((p) => p.found.name)).toEqual([]);
    // Campaigns before solutions; solutions and the group's other members before datasets; datasets before the group.
    for (const solution of names.solutions) {
      for (const campaign of names.campaigns) {
        expect(byName(solution).acceptedAt!).toBeGreaterThanOrEqual(byName(campaign).goneAt!);
      }
    }
    const members = [...names.solutions, names.recommender, names.filter, names.eventTracker, names.metricAttribution];
    for (const dataset of names.datasets) {
      for (const member of members) expect(byName(dataset).acceptedAt!).toBeGreaterThanOrEqual(byName(member).goneAt!);
      expect(byName(names.datasetGroup).acceptedAt!).toBeGreaterThanOrEqual(byName(dataset).goneAt!);
    }
    for (const schema of names.privateSchemas) {
      expect(byName(schema).acceptedAt!).toBeGreaterThanOrEqual(byName(names.datasetGroup).goneAt!);
    }
    // The training version was stopped, not waited for (2 h); the items import job (12 min) was waited for.
    expect(personalize).toHaveReceivedCommandExactlyOnceWith(StopSolutionVersionCreationCommand, {
      solutionVersionArn: arns.solutionVersions[1],
    });
    expect(byName(names.datasets[1]).acceptedAt!).toBeGreaterThanOrEqual(12 * 60_000 + clock.now() - elapsed);
    expect(elapsed).toBeLessThan(20 * 60_000);

    for (const arn of [arns.decoyDatasetGroup, arns.decoyDataset, arns.decoyCampaign, arns.sharedSchema]) {
      expect(account.exists(arn)).toBe(true);
    }
  });
});
