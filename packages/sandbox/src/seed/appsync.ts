import {
  AppSyncClient,
  CreateApiKeyCommand,
  CreateGraphqlApiCommand,
  GetGraphqlApiCommand,
} from "@aws-sdk/client-appsync";
import { clientConfig, seeded, type SeedResult, type SeededResource, type SeedTarget } from "./types.js";

/** A GraphQL API with API-key authorization and one API key. */
async function graphqlApiWithKey(client: AppSyncClient, name: string): Promise<SeededResource> {
  const { graphqlApi } = await client.send(new CreateGraphqlApiCommand({ name, authenticationType: "API_KEY" }));
  const apiId = graphqlApi?.apiId;
  await client.send(new CreateApiKeyCommand({ apiId, description: `${name} key` }));
  return seeded(`appsync.graphql-api ${name}`, () => client.send(new GetGraphqlApiCommand({ apiId })));
}

/** The workshop's AppSync API with its API key, and another project's API as a decoy. */
export async function seedAppsync(target: SeedTarget, prefix: string): Promise<SeedResult> {
  const client = new AppSyncClient(clientConfig(target));
  return {
    selected: [await graphqlApiWithKey(client, `${prefix}-graphql`)],
    decoys: [await graphqlApiWithKey(client, "other-project-graphql")],
  };
}
