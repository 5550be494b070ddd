import {
  AmplifyClient,
  DeleteAppCommand,
  GetAppCommand,
  ListBackendEnvironmentsCommand,
  ListWebhooksCommand,
  paginateListApps,
  paginateListBranches,
  paginateListDomainAssociations,
  type BackendEnvironment,
  type Branch,
} from "@aws-sdk/client-amplify";
import {
  classifiedCall,
  defineResource,
  pages,
  readOrUndefined,
  type Child,
  type Found,
  type ResourceContext,
} from "@cleanup-runner/plugin-kit";
import { backendStackNotes, readBackendStacks, stackNameOf, type BackendStackSource } from "../backend-stacks.js";

function named(kind: string, names: string[]): Child {
  return { kind, count: names.length, ...(names.length ? { note: names.join(", ") } : {}) };
}

/**
 * An Amplify Hosting app. DeleteApp takes its branches, domain associations,
 * webhooks and backend-environment records; the CloudFormation stacks of its
 * backend are not its to delete, and the plan names them.
 */
export const app = defineResource({
  type: "amplify.app",
  description: "An Amplify Hosting app with its branches, domain associations and webhooks (not its backend stacks).",
  scope: "regional",
  deletesWith: ["branches", "domain associations", "webhooks", "backend environment records"],

  async *discover(ctx) {
    const client = ctx.client(AmplifyClient);
    for await (const page of paginateListApps({ client, pageSize: 100 }, {})) {
      for (const amplifyApp of page.apps ?? []) {
        if (!amplifyApp.appId) continue;
        yield {
          id: amplifyApp.appId,
          name: amplifyApp.name ?? amplifyApp.appId,
          ...(amplifyApp.appArn ? { arn: amplifyApp.appArn } : {}),
          tags: { ...amplifyApp.tags },
          ...(amplifyApp.createTime ? { createdAt: amplifyApp.createTime.toISOString() } : {}),
          details: {
            ...(amplifyApp.defaultDomain ? { defaultDomain: amplifyApp.defaultDomain } : {}),
            ...(amplifyApp.repository ? { repository: amplifyApp.repository } : {}),
          },
        };
      }
    }
  },

  async describe(ctx, found) {
    return classifiedCall(`describe Amplify app ${found.name}`, () => describeApp(ctx, found));
  },

  async delete(ctx, found) {
    await classifiedCall(`DeleteApp ${found.name}`, () =>
      ctx.client(AmplifyClient).send(new DeleteAppCommand({ appId: found.id })),
    );
  },

  async verify(ctx, found) {
    const amplifyApp = await readOrUndefined(() =>
      ctx.client(AmplifyClient).send(new GetAppCommand({ appId: found.id })),
    );
    return amplifyApp ? "present" : "gone";
  },
});

/** Branches, domain associations, webhooks and backend environments, and the backend stacks DeleteApp leaves. */
async function describeApp(ctx: ResourceContext, found: Found): Promise<Found> {
  const client = ctx.client(AmplifyClient);
  const appId = found.id;
  const branches: Branch[] = [];
  for await (const page of paginateListBranches({ client, pageSize: 50 }, { appId }))
    branches.push(...(page.branches ?? []));
  const domains: string[] = [];
  for await (const page of paginateListDomainAssociations({ client, pageSize: 50 }, { appId })) {
    domains.push(...(page.domainAssociations ?? []).map((d) => d.domainName ?? ""));
  }
  // ListWebhooks and ListBackendEnvironments have no paginator in SDK v3.
  let webhooks = 0;
  for await (const page of pages(
    (nextToken: string | undefined) => client.send(new ListWebhooksCommand({ appId, nextToken, maxResults: 50 })),
    (page) => page.nextToken || undefined,
  )) {
    webhooks += page.webhooks?.length ?? 0;
  }
  const environments: BackendEnvironment[] = [];
  for await (const page of pages(
    (nextToken: string | undefined) =>
      client.send(new ListBackendEnvironmentsCommand({ appId, nextToken, maxResults: 50 })),
    (page) => page.nextToken || undefined,
  )) {
    environments.push(...(page.backendEnvironments ?? []));
  }

  const candidates: (BackendStackSource & { stackName: string })[] = [
    ...environments.flatMap((env) =>
      env.stackName
        ? [
            {
              generation: 1 as const,
              environment: env.environmentName ?? "",
              stackName: env.stackName,
              ...(env.deploymentArtifacts ? { deploymentBucket: env.deploymentArtifacts } : {}),
            },
          ]
        : [],
    ),
    ...branches.flatMap((branch) =>
      branch.backend?.stackArn
        ? [
            {
              generation: 2 as const,
              branch: branch.branchName ?? "",
              stackName: stackNameOf(branch.backend.stackArn),
            },
          ]
        : [],
    ),
  ];
  const stacks = await readBackendStacks(ctx, candidates);
  return {
    ...found,
    children: [
      named(
        "branches",
        branches.map((b) => b.branchName ?? ""),
      ),
      named("domain associations", domains),
      { kind: "webhooks", count: webhooks },
      named(
        "backend environments",
        environments.map((e) => e.environmentName ?? ""),
      ),
    ],
    details: { ...found.details, backendStacks: stacks },
    notes: backendStackNotes(stacks, ctx.region),
  };
}
