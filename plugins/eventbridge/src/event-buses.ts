import { ListEventBusesCommand, type EventBridgeClient, type EventBus } from "@aws-sdk/client-eventbridge";
import { classifyAwsError, pages } from "@cleanup-runner/plugin-kit";

/** Every event bus in the region (default, custom and partner), page by page. */
export async function* listEventBuses(client: EventBridgeClient, namePrefix?: string): AsyncGenerator<EventBus> {
  const listing = pages(
    (token: string | undefined) =>
      client.send(
        new ListEventBusesCommand({
          ...(namePrefix ? { NamePrefix: namePrefix } : {}),
          ...(token ? { NextToken: token } : {}),
          Limit: 100,
        }),
      ),
    (page) => page.NextToken,
  );
  try {
    for await (const page of listing) yield* page.EventBuses ?? [];
  } catch (error) {
    throw classifyAwsError(error, "ListEventBuses");
  }
}
