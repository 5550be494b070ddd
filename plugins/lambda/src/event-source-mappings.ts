import {
  DeleteEventSourceMappingCommand,
  paginateListEventSourceMappings,
  type EventSourceMappingConfiguration,
  type LambdaClient,
} from "@aws-sdk/client-lambda";
import { oncePerClient, perClient, removeUnlessGone, sharedWhileRecent } from "@cleanup-runner/plugin-kit";

/** The function whose event source mappings are wanted. */
export interface MappedFunction {
  /** The function's name. */
  readonly name: string;
  /** The function's unqualified ARN. */
  readonly arn: string;
  /**
   * Its aliases and published versions, where a mapping may be bound
   * (`...:function:name:live`); undefined when not known, so that any may be.
   */
  readonly qualifiers?: readonly string[] | undefined;
  /** How many mappings the region had when the plan was made, where it was read. */
  readonly regionMappings?: number | undefined;
}

/** ListEventSourceMappings returns at most 100 mappings a page. */
const PAGE = 100;

/**
 * The event source mappings that invoke a function, read fresh to delete
 * them when the plan recorded none (a plan file of an older version),
 * following every page, in the fewest calls the plan's counts allow.
 *
 * The FunctionName filter matches the ARN a mapping is bound to, and a
 * mapping bound to an alias or version carries that qualified ARN
 * (ListEventSourceMappings, FunctionName: "Version or Alias ARN"). So:
 * - a function without aliases or versions: one listing filtered by its name;
 * - one with qualifiers: one filtered listing per qualifier and one for the
 *   function, or one unfiltered listing of the region matched on the ARN
 *   prefix, whichever takes fewer calls by the plan's count of the region's
 *   mappings (unfiltered when not known: it also finds mappings of a
 *   qualifier published after the plan).
 */
export async function listFunctionMappings(
  client: LambdaClient,
  fn: MappedFunction,
): Promise<EventSourceMappingConfiguration[]> {
  const qualifiers = fn.qualifiers;
  if (qualifiers?.length === 0) return listMappings(client, fn.name);
  const regionPages = fn.regionMappings === undefined ? undefined : Math.ceil(fn.regionMappings / PAGE);
  if (qualifiers && regionPages !== undefined && qualifiers.length + 1 < regionPages) {
    const byUuid = new Map<string, EventSourceMappingConfiguration>();
    for (const target of [fn.arn, ...qualifiers.map((q) => `${fn.arn}:${q}`)]) {
      for (const mapping of await listMappings(client, target)) byUuid.set(mapping.UUID ?? target, mapping);
    }
    return [...byUuid.values()];
  }
  return (await listMappings(client, undefined)).filter((mapping) => invokes(mapping, fn.arn));
}

/** Every mapping bound to `functionName` (a name or an ARN, maybe qualified), or of the region. */
async function listMappings(
  client: LambdaClient,
  functionName: string | undefined,
): Promise<EventSourceMappingConfiguration[]> {
  const mappings: EventSourceMappingConfiguration[] = [];
  const input = functionName ? { FunctionName: functionName } : {};
  for await (const page of paginateListEventSourceMappings({ client, pageSize: PAGE }, input)) {
    mappings.push(...(page.EventSourceMappings ?? []));
  }
  return mappings;
}

/** The mappings of one function, for the plan, and how many the region has. */
export interface PlannedMappings {
  readonly mappings: EventSourceMappingConfiguration[];
  /** The region's mappings when they were listed. */
  readonly regionMappings: number;
}

/**
 * The event source mappings that invoke a function (by its unqualified ARN)
 * or one of its aliases and versions, for planning only: the region's
 * mappings are listed once per run and region (ListEventSourceMappings
 * without FunctionName lists every mapping of the region) and kept by
 * function, so a plan of many functions costs the region's pages, not a
 * listing per function and qualifier. The engine hands every describe of a
 * run and region the same cached client, so the listing is kept per client.
 * Delete uses what the plan recorded of it (mappings never block
 * DeleteFunction), checked again by `plannedMappingsStillInvoking`, or
 * `listFunctionMappings` for a plan that recorded none.
 */
export async function planningFunctionMappings(client: LambdaClient, functionArn: string): Promise<PlannedMappings> {
  const region = await regionMappingsByFunction(client);
  return { mappings: region.byFunction.get(functionArn) ?? [], regionMappings: region.total };
}

/** The region's mappings by the unqualified ARN of the function each invokes. */
interface RegionMappings {
  readonly byFunction: Map<string, EventSourceMappingConfiguration[]>;
  readonly total: number;
}

/** One listing per client, shared by concurrent callers; a failed one is dropped so the next describe lists again. */
const regionMappingsByFunction = oncePerClient(listMappingsByFunction);

async function listMappingsByFunction(client: LambdaClient): Promise<RegionMappings> {
  const byFunction = new Map<string, EventSourceMappingConfiguration[]>();
  const all = await listMappings(client, undefined);
  for (const mapping of all) {
    if (!mapping.FunctionArn) continue;
    const functionArn = unqualifiedArn(mapping.FunctionArn);
    byFunction.set(functionArn, [...(byFunction.get(functionArn) ?? []), mapping]);
  }
  return { byFunction, total: all.length };
}

/** `arn:aws:lambda:us-east-1:123456789012:function:name:live` -> `...:function:name`. */
function unqualifiedArn(functionArn: string): string {
  return functionArn.split(":").slice(0, 7).join(":");
}

function invokes(mapping: EventSourceMappingConfiguration, functionArn: string): boolean {
  const target = mapping.FunctionArn ?? "";
  return target === functionArn || target.startsWith(`${functionArn}:`);
}

/**
 * How long one region-wide listing of the mappings answers every function's
 * delete: the Lambda control plane paces deletes at 7 a second, so at scale
 * one listing serves a hundred functions instead of a read each.
 */
export const deleteListingMaxAgeMs = 15_000;

/** The region's mappings by UUID, from a listing at most `deleteListingMaxAgeMs` old that deletes share. */
const recentMappings = sharedWhileRecent(
  deleteListingMaxAgeMs,
  async (client: LambdaClient) => new Map((await listMappings(client, undefined)).map((m) => [m.UUID ?? "", m])),
);

/**
 * The mappings the plan recorded (their UUIDs) that still invoke the function
 * or one of its qualifiers, from one region-wide listing that every delete of
 * the run shares for `deleteListingMaxAgeMs`: a mapping can be bound to
 * another function since the plan (UpdateEventSourceMapping takes a
 * FunctionName), and a damaged plan file can name any mapping of the region;
 * neither is this function's to delete. One no longer listed is gone and left
 * out. (A mapping rebound within the listing's last seconds is the one case
 * this cannot see.)
 */
export async function plannedMappingsStillInvoking(
  client: LambdaClient,
  functionArn: string,
  uuids: readonly string[],
  now: number,
): Promise<EventSourceMappingConfiguration[]> {
  if (uuids.length === 0) return [];
  const byUuid = await recentMappings(client, now).value;
  return uuids.flatMap((uuid) => {
    const mapping = byUuid.get(uuid);
    return mapping && invokes(mapping, functionArn) ? [mapping] : [];
  });
}

/**
 * The mappings (UUIDs) this run already asked Lambda to delete, per client (a
 * run and region): a retried function delete (throttled midway, or at
 * DeleteFunction) goes on where it stopped, rather than ask again for one that
 * a listing shared for `deleteListingMaxAgeMs` still shows as it was.
 */
const deleteRequested = perClient<LambdaClient, Set<string>>(() => new Set());

/**
 * Deletes the given mappings. A mapping already `Deleting`, or whose delete
 * this run already requested, is left to finish; one that is already gone
 * counts as deleted. Lambda deletes a mapping asynchronously (state
 * `Deleting` for a few seconds), which never blocks deleting the function.
 * Returns how many deletes were requested.
 */
export async function deleteMappings(
  client: LambdaClient,
  mappings: readonly EventSourceMappingConfiguration[],
): Promise<number> {
  const done = deleteRequested(client);
  let requested = 0;
  for (const mapping of mappings) {
    if (!mapping.UUID || mapping.State === "Deleting" || done.has(mapping.UUID)) continue;
    const uuid = mapping.UUID;
    if (
      await removeUnlessGone(`DeleteEventSourceMapping ${uuid}`, () =>
        client.send(new DeleteEventSourceMappingCommand({ UUID: uuid })),
      )
    )
      requested++;
    done.add(uuid);
  }
  return requested;
}

/** `arn:aws:sqs:us-east-1:123456789012:jobs` -> `sqs jobs`, for the plan. */
export function mappingSource(mapping: EventSourceMappingConfiguration): string {
  const arn = mapping.EventSourceArn;
  if (!arn) return "self-managed Kafka";
  const parts = arn.split(":");
  return `${parts[2] ?? "?"} ${parts.slice(5).join(":")}`;
}
