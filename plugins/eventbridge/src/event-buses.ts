import { ListEventBusesCommand, type EventBridgeClient, type EventBus } from "@aws-sdk/client-eventbridge";
import { listAll } from "./listing.js";

/** Every event bus in the region (default, custom and partner), page by page. */
export function listEventBuses(client: EventBridgeClient, namePrefix?: string): AsyncGenerator<EventBus> {
  return listAll(
    "ListEventBuses",
    (token) =>
      client.send(
        new ListEventBusesCommand({
          ...(namePrefix ? { NamePrefix: namePrefix } : {}),
          ...(token ? { NextToken: token } : {}),
          Limit: 100,
        }),
      ),
    (page) => page.EventBuses,
  );
}
