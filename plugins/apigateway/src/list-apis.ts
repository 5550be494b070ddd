import { ApiGatewayV2Client, GetApisCommand, type Api, type ProtocolType } from "@aws-sdk/client-apigatewayv2";
import { pages, type Found, type ResourceContext } from "@cleanup-runner/plugin-kit";

/** The ARN API Gateway gives an HTTP or WebSocket API. */
function v2ApiArn(ctx: Pick<ResourceContext, "partition" | "region">, apiId: string): string {
  return `arn:${ctx.partition}:apigateway:${ctx.region}::/apis/${apiId}`;
}

/**
 * Lists the HTTP or WebSocket APIs of `ctx.region`, following every page
 * (GetApis has no paginator in SDK v3, and no server-side filter: both
 * protocols come back and are told apart here).
 */
export async function* listV2Apis(ctx: ResourceContext, protocol: ProtocolType): AsyncGenerator<Found> {
  const client = ctx.client(ApiGatewayV2Client);
  const listing = pages(
    (NextToken: string | undefined) => client.send(new GetApisCommand({ NextToken, MaxResults: "500" })),
    (page) => page.NextToken || undefined,
  );
  for await (const page of listing) {
    for (const api of page.Items ?? []) {
      if (api.ProtocolType === protocol && api.ApiId) yield foundV2Api(ctx, api);
    }
  }
}

function foundV2Api(ctx: ResourceContext, api: Api): Found {
  const apiId = api.ApiId ?? "";
  return {
    id: apiId,
    name: api.Name ?? apiId,
    arn: v2ApiArn(ctx, apiId),
    tags: { ...api.Tags },
    ...(api.CreatedDate ? { createdAt: api.CreatedDate.toISOString() } : {}),
    details: { protocol: api.ProtocolType, apiGatewayManaged: api.ApiGatewayManaged === true },
  };
}
