import {
  ApiGatewayV2Client,
  DeleteApiCommand,
  GetApiCommand,
  GetRoutesCommand,
  GetStagesCommand,
} from "@aws-sdk/client-apigatewayv2";
import {
  FatalError,
  classifiedCall,
  classifyAwsError,
  pages,
  readOrUndefined,
  type Found,
  type ResourceContext,
  type ResourceError,
  type VerifyResult,
} from "@cleanup-runner/plugin-kit";

/**
 * What HTTP and WebSocket APIs share beyond listing: one DeleteApi takes the
 * stages, routes, integrations, authorizers and deployments with it.
 */
export const v2ApiDeletesWith = ["stages", "routes", "integrations", "authorizers", "deployments"] as const;

/** An API that API Gateway manages for another service can only be deleted by that service. */
export function v2ApiProtectedReason(found: Found): string | undefined {
  return found.details?.apiGatewayManaged === true
    ? "managed by API Gateway for another service (ApiGatewayManaged): only the service that made it can delete it"
    : undefined;
}

/** Counts the stages (named) and routes of an HTTP or WebSocket API for the plan. */
export async function describeV2Api(ctx: ResourceContext, found: Found): Promise<Found> {
  return classifiedCall(`describe API ${found.name}`, () =>
    countStagesAndRoutes(ctx.client(ApiGatewayV2Client), found),
  );
}

async function countStagesAndRoutes(client: ApiGatewayV2Client, found: Found): Promise<Found> {
  const stages: string[] = [];
  for await (const page of pages(
    (NextToken: string | undefined) => client.send(new GetStagesCommand({ ApiId: found.id, NextToken })),
    (page) => page.NextToken || undefined,
  )) {
    for (const stage of page.Items ?? []) if (stage.StageName) stages.push(stage.StageName);
  }
  let routes = 0;
  for await (const page of pages(
    (NextToken: string | undefined) => client.send(new GetRoutesCommand({ ApiId: found.id, NextToken })),
    (page) => page.NextToken || undefined,
  )) {
    routes += page.Items?.length ?? 0;
  }
  return {
    ...found,
    children: [
      { kind: "stages", count: stages.length, ...(stages.length ? { note: stages.join(", ") } : {}) },
      { kind: "routes", count: routes },
    ],
  };
}

/**
 * DeleteApi. AWS refuses it while a custom domain still maps the API
 * ("Please remove all API mappings for the API from your custom domain
 * names"): that is no transient state, so it fails with what to do.
 */
export async function deleteV2Api(ctx: ResourceContext, found: Found): Promise<void> {
  await classifiedCall(
    `DeleteApi ${found.name}`,
    () => ctx.client(ApiGatewayV2Client).send(new DeleteApiCommand({ ApiId: found.id })),
    classifyDeleteApiError,
  );
}

function classifyDeleteApiError(error: unknown, what?: string): ResourceError {
  const { name, message } = error as Error;
  if (name === "BadRequestException" && /api mapping/i.test(message)) {
    return new FatalError(
      `${what}: a custom domain still maps this API (${message}). ` +
        `Select the domain with type apigateway.domain-name, or delete its API mapping.`,
      { cause: error },
    );
  }
  return classifyAwsError(error, what);
}

/** GetApi: NotFound means gone (DeleteApi is synchronous). */
export async function verifyV2Api(ctx: ResourceContext, found: Found): Promise<VerifyResult> {
  const api = await readOrUndefined(() => ctx.client(ApiGatewayV2Client).send(new GetApiCommand({ ApiId: found.id })));
  return api ? "present" : "gone";
}
