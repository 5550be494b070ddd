/**
 * An in-memory Amplify Hosting account, with the CloudFormation stacks of
 * its apps' backends, for unit and contract tests, installed on
 * aws-sdk-client-mock stubs by the API references' rules:
 * - every Amplify list pages by `nextToken`; `maxResults` is at most 100 for
 *   ListApps and 50 for the lists of an app (BadRequestException past that),
 *   and every answer holds at most `pageSize` items;
 * - DeleteApp takes the app's branches, domain associations, webhooks and
 *   backend-environment records; of the backend stacks, Amplify starts
 *   deleting the Gen 2 branches' ones (DELETE_IN_PROGRESS), the Amplify CLI
 *   (Gen 1) ones stay as they are. Unknown apps are NotFoundException (404);
 * - DescribeStacks by name answers ValidationError ("does not exist", 400)
 *   for a stack that is not there.
 */
import {
  AmplifyClient,
  BadRequestException,
  DeleteAppCommand,
  GetAppCommand,
  ListAppsCommand,
  ListBackendEnvironmentsCommand,
  ListBranchesCommand,
  ListDomainAssociationsCommand,
  ListWebhooksCommand,
  NotFoundException,
  type App,
} from "@aws-sdk/client-amplify";
import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
} from "@aws-sdk/client-cloudformation";
import type { AwsClientStub } from "aws-sdk-client-mock";

/** A branch; a Gen 2 branch names its backend stack. */
export interface FakeBranch {
  readonly name: string;
  readonly stackArn?: string;
}

/** An Amplify CLI (Gen 1) backend environment record. */
export interface FakeBackendEnvironment {
  readonly name: string;
  readonly stackName: string;
  readonly deploymentArtifacts?: string;
}

/** An app as the fake keeps it. */
export interface FakeApp {
  readonly id: string;
  readonly name: string;
  readonly tags: Record<string, string>;
  readonly createTime: Date;
  readonly repository?: string;
  readonly branches: FakeBranch[];
  readonly domains: string[];
  readonly webhooks: string[];
  readonly backendEnvironments: FakeBackendEnvironment[];
}

/** The stubs of the clients the amplify plugin uses. */
export interface AmplifyStubs {
  readonly amplify: AwsClientStub<AmplifyClient>;
  readonly cloudformation: AwsClientStub<CloudFormationClient>;
}

interface PageInput {
  maxResults?: number;
  nextToken?: string;
}

const accountId = "123456789012";
const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const badRequest = (message: string) => new BadRequestException({ message, ...meta(400) });

/** The ARN of a CloudFormation stack of this account. */
export function stackArn(stackName: string): string {
  return `arn:aws:cloudformation:us-east-1:${accountId}:stack/${stackName}/0a1b2c3d`;
}

/** The in-memory Amplify and CloudFormation. Seed it with `addApp` and `stacks`, then `install` it on the stubs. */
export class FakeAmplify {
  readonly apps = new Map<string, FakeApp>();
  /** CloudFormation stacks by name, with their StackStatus. */
  readonly stacks = new Map<string, string>();
  private nextId = 0;

  /** @param pageSize The most items any list answers, whatever `maxResults` asks. */
  constructor(readonly pageSize = 100) {}

  addApp(app: Partial<FakeApp> & { name: string }): FakeApp {
    this.nextId += 1;
    const full: FakeApp = {
      id: `d${String(this.nextId).padStart(12, "0")}`,
      tags: {},
      createTime: new Date("2024-02-10T09:30:00Z"),
      branches: [],
      domains: [],
      webhooks: [],
      backendEnvironments: [],
      ...app,
    };
    this.apps.set(full.id, full);
    return full;
  }

  /** Answers every Amplify and CloudFormation call the plugin makes from this state. */
  install({ amplify, cloudformation }: AmplifyStubs): void {
    this.installApps(amplify);
    this.installStacks(cloudformation);
  }

  /** ListApps, GetApp, the lists of an app, DeleteApp. */
  installApps(amplify: AwsClientStub<AmplifyClient>): void {
    amplify.on(ListAppsCommand).callsFake((input: PageInput) => {
      const { page, nextToken } = this.pageOf([...this.apps.values()], input, 100);
      return { apps: page.map((a) => this.appShape(a)), ...(nextToken ? { nextToken } : {}) };
    });
    amplify.on(GetAppCommand).callsFake((input: { appId: string }) => ({ app: this.appShape(this.app(input.appId)) }));
    amplify.on(ListBranchesCommand).callsFake((input: PageInput & { appId: string }) => {
      const { page, nextToken } = this.pageOf(this.app(input.appId).branches, input, 50);
      return {
        branches: page.map((b) => ({
          branchName: b.name,
          branchArn: `arn:aws:amplify:us-east-1:${accountId}:apps/${input.appId}/branches/${b.name}`,
          ...(b.stackArn ? { backend: { stackArn: b.stackArn } } : {}),
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    });
    amplify.on(ListDomainAssociationsCommand).callsFake((input: PageInput & { appId: string }) => {
      const { page, nextToken } = this.pageOf(this.app(input.appId).domains, input, 50);
      return {
        domainAssociations: page.map((domainName) => ({ domainName, domainStatus: "AVAILABLE", subDomains: [] })),
        ...(nextToken ? { nextToken } : {}),
      };
    });
    amplify.on(ListWebhooksCommand).callsFake((input: PageInput & { appId: string }) => {
      const { page, nextToken } = this.pageOf(this.app(input.appId).webhooks, input, 50);
      return { webhooks: page.map((webhookId) => ({ webhookId })), ...(nextToken ? { nextToken } : {}) };
    });
    amplify.on(ListBackendEnvironmentsCommand).callsFake((input: PageInput & { appId: string }) => {
      const { page, nextToken } = this.pageOf(this.app(input.appId).backendEnvironments, input, 50);
      return {
        backendEnvironments: page.map((env) => ({
          environmentName: env.name,
          stackName: env.stackName,
          ...(env.deploymentArtifacts ? { deploymentArtifacts: env.deploymentArtifacts } : {}),
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    });
    amplify.on(DeleteAppCommand).callsFake((input: { appId: string }) => {
      const app = this.app(input.appId);
      this.apps.delete(app.id);
      for (const branch of app.branches) {
        const stackName = branch.stackArn?.split("/")[1];
        if (stackName && this.stacks.has(stackName)) this.stacks.set(stackName, "DELETE_IN_PROGRESS");
      }
      return { app: this.appShape(app) };
    });
  }

  /** DescribeStacks by stack name. */
  installStacks(cloudformation: AwsClientStub<CloudFormationClient>): void {
    cloudformation.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => {
      const status = this.stacks.get(input.StackName);
      if (!status) {
        throw new CloudFormationServiceException({
          name: "ValidationError",
          $fault: "client",
          message: `Stack with id ${input.StackName} does not exist`,
          ...meta(400),
        });
      }
      return {
        Stacks: [
          {
            StackName: input.StackName,
            StackId: stackArn(input.StackName),
            StackStatus: status,
            CreationTime: new Date("2024-02-10T09:30:00Z"),
          },
        ],
      };
    });
  }

  /** One page from `nextToken` (an offset this fake handed out), `maxResults` 0..`max`. */
  private pageOf<T>(items: readonly T[], input: PageInput, max: number): { page: T[]; nextToken?: string } {
    const { maxResults, nextToken } = input;
    if (maxResults !== undefined && (maxResults < 0 || maxResults > max)) {
      throw badRequest(`maxResults must be between 0 and ${max}, got ${maxResults}`);
    }
    const start = nextToken === undefined ? 0 : Number(nextToken);
    if (!Number.isInteger(start) || start < 0 || start > items.length) throw badRequest("Invalid nextToken");
    const end = start + Math.min(maxResults || max, this.pageSize);
    return { page: items.slice(start, end), ...(end < items.length ? { nextToken: String(end) } : {}) };
  }

  private app(id: string): FakeApp {
    const app = this.apps.get(id);
    if (!app) throw new NotFoundException({ message: `App ${id} not found.`, ...meta(404) });
    return app;
  }

  private appShape(app: FakeApp): App {
    return {
      appId: app.id,
      appArn: `arn:aws:amplify:us-east-1:${accountId}:apps/${app.id}`,
      name: app.name,
      tags: { ...app.tags },
      createTime: app.createTime,
      updateTime: app.createTime,
      defaultDomain: `${app.id}.amplifyapp.com`,
      platform: "WEB",
      enableBranchAutoBuild: false,
      enableBasicAuth: false,
      environmentVariables: {},
      description: "",
      // Left out for an app deployed by hand, with no Git repository.
      repository: app.repository,
    };
  }
}
