import {
  DeleteConfigurationSetCommand,
  GetConfigurationSetCommand,
  GetConfigurationSetEventDestinationsCommand,
  SESv2Client,
  paginateListConfigurationSets,
  type EventDestination,
} from "@aws-sdk/client-sesv2";
import {
  classifiedCall,
  classifiedPages,
  defineResource,
  readOrUndefined,
  tagRecord,
  type ResourceContext,
} from "@cleanup-runner/plugin-kit";
import { sesArn } from "../arns.js";

async function getConfigurationSet(ctx: ResourceContext, name: string) {
  return readOrUndefined(() =>
    ctx.client(SESv2Client).send(new GetConfigurationSetCommand({ ConfigurationSetName: name })),
  );
}

/** Where an event destination sends events; that target is not deleted with the set. */
function destinationTarget(destination: EventDestination): string | undefined {
  return (
    destination.SnsDestination?.TopicArn ??
    destination.KinesisFirehoseDestination?.DeliveryStreamArn ??
    destination.EventBridgeDestination?.EventBusArn ??
    destination.PinpointDestination?.ApplicationArn ??
    (destination.CloudWatchDestination ? "CloudWatch metrics" : undefined)
  );
}

/** An SES configuration set and its event destinations. */
export const configurationSet = defineResource({
  type: "ses.configuration-set",
  description: "SES configuration sets, with their event destinations.",
  scope: "regional",
  deletesWith: ["event destinations"],

  async *discover(ctx) {
    // PageSize stays at the service default: moto 5.2, the test emulator, fails on it.
    const listing = paginateListConfigurationSets({ client: ctx.client(SESv2Client) }, {});
    for await (const page of classifiedPages("ListConfigurationSets", listing)) {
      for (const name of page.ConfigurationSets ?? []) {
        yield { id: name, name, arn: sesArn(ctx, `configuration-set/${name}`) };
      }
    }
  },

  async readTags(ctx, found) {
    return tagRecord((await getConfigurationSet(ctx, found.id))?.Tags);
  },

  async describe(ctx, found) {
    const client = ctx.client(SESv2Client);
    const answer = await readOrUndefined(() =>
      client.send(new GetConfigurationSetEventDestinationsCommand({ ConfigurationSetName: found.id })),
    );
    if (!answer) return found;
    const destinations = answer.EventDestinations ?? [];
    const targets = destinations.map(destinationTarget).filter((t): t is string => Boolean(t));
    return {
      ...found,
      children: [
        {
          kind: "event destinations",
          count: destinations.length,
          ...(destinations.length ? { note: destinations.map((d) => d.Name).join(", ") } : {}),
        },
      ],
      ...(targets.length ? { notes: [`where the events go is not deleted: ${targets.join(", ")}`] } : {}),
    };
  },

  async delete(ctx, found) {
    // Takes its event destinations with it.
    await classifiedCall(`DeleteConfigurationSet ${found.id}`, () =>
      ctx.client(SESv2Client).send(new DeleteConfigurationSetCommand({ ConfigurationSetName: found.id })),
    );
  },

  async verify(ctx, found) {
    return (await getConfigurationSet(ctx, found.id)) ? "present" : "gone";
  },
});
