import { ListEventBusesCommand, type EventBridgeClient, type EventBus } from "@aws-sdk/client-eventbridge";
import { oncePerClient } from "@cleanup-runner/plugin-kit";
import { listAll } from "./listing.js";

/** Every event bus in the region (default, custom and partner), page by page. */
function listEventBuses(client: EventBridgeClient): AsyncGenerator<EventBus> {
  return listAll(
    "ListEventBuses",
    (token) =>
      client.send(
        new ListEventBusesCommand({
          ...(token ? { NextToken: token } : {}),
          Limit: 100,
        }),
      ),
    (page) => page.EventBuses,
  );
}

/**
 * Every event bus of the region as planning reads it: ListEventBuses without
 * NamePrefix lists the region's buses (default, custom, partner; a region
 * holds at most a few hundred), so one listing per run and region serves the
 * rule discover (which lists rules bus by bus) and the bus discover alike.
 */
export const eventBusesForPlan = oncePerClient(async (client: EventBridgeClient): Promise<EventBus[]> => {
  const buses: EventBus[] = [];
  for await (const bus of listEventBuses(client)) buses.push(bus);
  return buses;
});
