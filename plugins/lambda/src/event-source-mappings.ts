import {
  DeleteEventSourceMappingCommand,
  paginateListEventSourceMappings,
  type EventSourceMappingConfiguration,
  type LambdaClient,
} from "@aws-sdk/client-lambda";
import { classifyAwsError } from "@cleanup-runner/plugin-kit";

/** The function whose event source mappings are wanted. */
export interface MappedFunction {
  /** The function's name. */
  readonly name: string;
  /** The function's unqualified ARN. */
  readonly arn: string;
  /**
   * Whether the function has published versions or aliases, so that a mapping
   * may be bound to a qualified ARN (`...:function:name:live`).
   */
  readonly qualified: boolean;
}

/**
 * The event source mappings that invoke a function, following every page
 * (ListEventSourceMappings returns at most 100 per page).
 *
 * The FunctionName filter matches the ARN a mapping is bound to; a mapping
 * bound to an alias or version carries that qualified ARN. So for a function
 * with no versions or aliases the server-side filter by name is exact; for one
 * with qualifiers, one unfiltered listing matched on the ARN prefix finds the
 * mappings of every qualifier at once instead of one listing per qualifier.
 */
export async function listFunctionMappings(
  client: LambdaClient,
  fn: MappedFunction,
): Promise<EventSourceMappingConfiguration[]> {
  const mappings: EventSourceMappingConfiguration[] = [];
  const input = fn.qualified ? {} : { FunctionName: fn.name };
  for await (const page of paginateListEventSourceMappings({ client, pageSize: 100 }, input)) {
    for (const mapping of page.EventSourceMappings ?? []) {
      if (!fn.qualified || invokes(mapping, fn.arn)) mappings.push(mapping);
    }
  }
  return mappings;
}

/**
 * The event source mappings that invoke a function, for planning only. A
 * function without qualifiers gets its one filtered listing. For one with
 * versions or aliases, the region's mappings are listed once per run and
 * region and kept by function: listed per function, planning would read
 * every mapping of the account once per such function. The engine hands
 * every describe of a run and region the same cached client, so the listing
 * is kept per client. Delete never uses it: it must see the mappings as
 * they are.
 */
export async function planningFunctionMappings(
  client: LambdaClient,
  fn: MappedFunction,
): Promise<EventSourceMappingConfiguration[]> {
  if (!fn.qualified) return listFunctionMappings(client, fn);
  const byFunction = await regionMappingsByFunction(client);
  return byFunction.get(fn.arn) ?? [];
}

const regionMappings = new WeakMap<LambdaClient, Promise<Map<string, EventSourceMappingConfiguration[]>>>();

/** One listing per client, shared by concurrent callers; a failed one is dropped so the next describe lists again. */
function regionMappingsByFunction(client: LambdaClient): Promise<Map<string, EventSourceMappingConfiguration[]>> {
  const known = regionMappings.get(client);
  if (known) return known;
  const pending = listMappingsByFunction(client);
  regionMappings.set(client, pending);
  void pending.catch(() => {
    if (regionMappings.get(client) === pending) regionMappings.delete(client);
  });
  return pending;
}

/** Every mapping of the region, by the unqualified ARN of the function it invokes. */
async function listMappingsByFunction(client: LambdaClient): Promise<Map<string, EventSourceMappingConfiguration[]>> {
  const byFunction = new Map<string, EventSourceMappingConfiguration[]>();
  for await (const page of paginateListEventSourceMappings({ client, pageSize: 100 }, {})) {
    for (const mapping of page.EventSourceMappings ?? []) {
      if (!mapping.FunctionArn) continue;
      const functionArn = unqualifiedArn(mapping.FunctionArn);
      byFunction.set(functionArn, [...(byFunction.get(functionArn) ?? []), mapping]);
    }
  }
  return byFunction;
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
 * Deletes the given mappings. A mapping already `Deleting` is left to finish;
 * one that is already gone counts as deleted. Lambda deletes a mapping
 * asynchronously (state `Deleting` for a few seconds), which never blocks
 * deleting the function. Returns how many deletes were requested.
 */
export async function deleteMappings(
  client: LambdaClient,
  mappings: readonly EventSourceMappingConfiguration[],
): Promise<number> {
  let requested = 0;
  for (const mapping of mappings) {
    if (!mapping.UUID || mapping.State === "Deleting") continue;
    try {
      await client.send(new DeleteEventSourceMappingCommand({ UUID: mapping.UUID }));
      requested++;
    } catch (error) {
      const classified = classifyAwsError(error, `DeleteEventSourceMapping ${mapping.UUID}`);
      if (classified.kind !== "not-found") throw classified;
    }
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
