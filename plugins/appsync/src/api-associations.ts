import {
  AppSyncClient,
  DisassociateApiCommand,
  GetApiAssociationCommand,
  paginateListDomainNames,
  type DomainNameConfig,
} from "@aws-sdk/client-appsync";
import { oncePerClient, readOrUndefined, removeUnlessGone } from "@cleanup-runner/plugin-kit";

/** Every custom domain name of the region, following every page. */
export async function listDomainNames(client: AppSyncClient): Promise<DomainNameConfig[]> {
  const domains = await readOrUndefined(async () => {
    const all: DomainNameConfig[] = [];
    for await (const page of paginateListDomainNames({ client, pageSize: 25 }, {})) {
      all.push(...(page.domainNameConfigs ?? []));
    }
    return all;
  }, "ListDomainNames");
  // An endpoint without custom domains at all (moto) answers 404: there are none.
  return domains ?? [];
}

/** The id of the API associated with the domain, or undefined when none is (GetApiAssociation: NotFound). */
export async function associatedApiId(client: AppSyncClient, domainName: string): Promise<string | undefined> {
  const association = await readOrUndefined(() => client.send(new GetApiAssociationCommand({ domainName })));
  return association?.apiAssociation?.apiId;
}

/**
 * Every custom domain of the region with the id of the API associated with it
 * (undefined: none). AppSync has no reverse lookup: one ListDomainNames, then
 * one GetApiAssociation per domain (an account holds few custom domains; none
 * costs a single call).
 */
async function readAssociations(client: AppSyncClient): Promise<Map<string, string | undefined>> {
  const associations = new Map<string, string | undefined>();
  for (const { domainName } of await listDomainNames(client)) {
    if (domainName) associations.set(domainName, await associatedApiId(client, domainName));
  }
  return associations;
}

function domainsAssociatedWith(associations: ReadonlyMap<string, string | undefined>, apiId: string): string[] {
  return [...associations].flatMap(([domainName, associated]) => (associated === apiId ? [domainName] : []));
}

/** The custom domains associated with the API, read now. */
export async function domainsOfApi(client: AppSyncClient, apiId: string): Promise<string[]> {
  return domainsAssociatedWith(await readAssociations(client), apiId);
}

/**
 * The region's associations (`readAssociations`), for planning only:
 * ListDomainNames takes no API filter, so the region's domains and their
 * associations are read once per run and region (the engine hands every
 * describe of a run and region the same cached client) rather than again for
 * every API described. A failed read is dropped, so the next describe reads
 * again.
 */
export const planningAssociations = oncePerClient(readAssociations);

/** The custom domains associated with the API, for planning: from the region's read, made once. */
export async function planningDomainsOfApi(client: AppSyncClient, apiId: string): Promise<string[]> {
  return domainsAssociatedWith(await planningAssociations(client), apiId);
}

/** DisassociateApi; an association already gone is fine (never read as "the resource is gone"). */
export async function disassociateApi(client: AppSyncClient, domainName: string): Promise<void> {
  await removeUnlessGone(`DisassociateApi ${domainName}`, () =>
    client.send(new DisassociateApiCommand({ domainName })),
  );
}
