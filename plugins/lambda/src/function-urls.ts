import { GetFunctionUrlConfigCommand, paginateListFunctionUrlConfigs, type LambdaClient } from "@aws-sdk/client-lambda";
import { classifyAwsError, perClient, readOrUndefined } from "@cleanup-runner/plugin-kit";

/** Per client (a run and region): whether ListFunctionUrlConfigs turned out not to be offered. */
const listMissing = perClient<LambdaClient, { missing: boolean }>(() => ({ missing: false }));

/**
 * An answer that the endpoint has no such operation: a 404 or 501 that is no
 * AWS error (some emulators answer ListFunctionUrlConfigs with a web page).
 * AWS itself answers a missing function with ResourceNotFoundException.
 */
function isOperationMissing(error: unknown): boolean {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } } | undefined;
  const status = e?.$metadata?.httpStatusCode;
  return (status === 404 || status === 501) && e?.name !== "ResourceNotFoundException";
}

/**
 * The function URLs of the function and of each alias. A function without
 * aliases: one GetFunctionUrlConfig. With aliases: one ListFunctionUrlConfigs
 * for all of them (every page), instead of a Get per qualifier; where the
 * endpoint lacks the list, a Get per qualifier, and the list is not tried
 * again on that client.
 */
export async function functionUrls(client: LambdaClient, name: string, aliases: readonly string[]): Promise<string[]> {
  if (aliases.length > 0 && !listMissing(client).missing) {
    try {
      const urls = new Set<string>();
      for await (const page of paginateListFunctionUrlConfigs({ client, pageSize: 50 }, { FunctionName: name })) {
        for (const config of page.FunctionUrlConfigs ?? []) if (config.FunctionUrl) urls.add(config.FunctionUrl);
      }
      return [...urls];
    } catch (error) {
      if (!isOperationMissing(error)) {
        const classified = classifyAwsError(error, `ListFunctionUrlConfigs ${name}`);
        if (classified.kind === "not-found") return [];
        throw classified;
      }
      listMissing(client).missing = true;
    }
  }
  const urls = new Set<string>();
  for (const qualifier of [undefined, ...aliases]) {
    const config = await readOrUndefined(() =>
      client.send(
        new GetFunctionUrlConfigCommand({ FunctionName: name, ...(qualifier ? { Qualifier: qualifier } : {}) }),
      ),
    );
    if (config?.FunctionUrl) urls.add(config.FunctionUrl);
  }
  return [...urls];
}
