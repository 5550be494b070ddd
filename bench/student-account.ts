import { AmplifyClient } from "@aws-sdk/client-amplify";
import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { AppSyncClient } from "@aws-sdk/client-appsync";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { IAMClient } from "@aws-sdk/client-iam";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { PersonalizeClient } from "@aws-sdk/client-personalize";
import { S3Client } from "@aws-sdk/client-s3";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import type { Clock } from "@cleanup-runner/core";
import { FakeIam, trustPolicyFor } from "@cleanup-runner/plugin-iam/testing";
import { FakePersonalizeAccount } from "@cleanup-runner/plugin-personalize/testing";
import { mockClient } from "aws-sdk-client-mock";
import { FakeAmplify } from "../plugins/amplify/src/testing/fake-amplify.js";
import { FakeApiGateway } from "../plugins/apigateway/src/testing/fake-apigateway.js";
import { FakeAppSync } from "../plugins/appsync/src/testing/fake-appsync.js";
import { fakeUserPoolAccount } from "../plugins/cognito/src/testing/fake-cognito.js";
import { fakeDynamoDbAccount } from "../plugins/dynamodb/src/testing/fake-dynamodb.js";
import { FakeEventBridge } from "../plugins/eventbridge/src/testing/fake-eventbridge.js";
import { FakeScheduler } from "../plugins/eventbridge/src/testing/fake-scheduler.js";
import { fakeLambdaAccount } from "../plugins/lambda/src/testing/fake-lambda.js";
import { fakeLogsAccount } from "../plugins/logs/src/testing/fake-logs.js";
import { fakeSesAccount } from "../plugins/ses/src/testing/fake-ses.js";
import { IndexedS3Account, S3_PAGE } from "./indexed-s3.js";
import { workshopDurations, type PersonalizeDurations } from "./personalize-durations.js";
import { MockRoutes } from "./mock-routes.js";

const minute = 60_000;

/**
 * The most items one page of each listing holds: AWS's maximum for the call
 * (the fakes are set to it, so the listings page as they would on AWS).
 */
const pageSizes = {
  ListTables: 100,
  ListFunctions: 50,
  ListLayers: 50,
  DescribeLogGroups: 50,
  GetRestApis: 500,
  GetApis: 500,
  ListGraphqlApis: 25,
  ListApps: 100,
  Personalize: 100,
  ListUserPools: 60,
  ListRules: 100,
  ListSchedules: 100,
  ListScheduleGroups: 100,
  SesList: 1000,
  Iam: 1000,
  ListBuckets: 10_000,
} as const;

/** The workshop's functions (packages/sandbox/src/seed/lambda.ts). */
const functionNames = (p: string) =>
  [
    "auth-handler",
    "students-api",
    "lecturers-api",
    "admin-api",
    "event-processor",
    "ses-email-handler",
    "personalize-integration",
    "appsync-resolver",
  ].map((name) => `${p}-${name}`);

const awsManaged = {
  lambdaBasic: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
  appSyncLogs: "arn:aws:iam::aws:policy/service-role/AWSAppSyncPushToCloudWatchLogs",
  amplifyAdmin: "arn:aws:iam::aws:policy/AdministratorAccess-Amplify",
};

/** One listing a type's discovery needs at the least: every page of it, at AWS's largest page. */
export interface Listing {
  readonly type: string;
  readonly service: string;
  readonly operation: string;
  /** Pages it takes to list everything of the type in the account. */
  readonly pages: number;
  /** Calls in sequence it takes (its pages, after the listing of what holds them). */
  readonly chain: number;
  /** Resources of the type in the account, and its listing's page size: what a listing reads once some are gone. */
  readonly items?: { readonly count: number; readonly pageSize: number };
  /**
   * The type is listed holder by holder, by the holders' own child reads (the
   * minimum's `childReads`): no listing of its own to count.
   */
  readonly inChildReads?: boolean;
}

/** What deleting one resource takes beyond one delete call and one verifying read. */
export interface ResourceWork {
  /**
   * Calls AWS requires before the delete succeeds, or the manifest's options
   * ask for (detach a policy, remove targets, delete a backup...), by `Service Operation`.
   */
  readonly calls: Readonly<Record<string, number>>;
  /** Rounds of those calls that must come before the final delete (calls of one round run at once). */
  readonly rounds: number;
  /** Time the service holds the final delete back after those rounds (a training being stopped), ms. */
  readonly waitMs?: number;
  /** Simulated time before which the service refuses the delete (a job still running on it). */
  readonly notBefore?: number;
  /** Delete calls of the resource itself (one per version for a layer); 1 when left out. */
  readonly deletes?: number;
  /**
   * Reads of what the plan shows of this resource beyond its type's usual
   * ones (`childReads` in student-floor.ts), by `Service Operation`: a
   * layer's versions take 2 pages; a function with an alias has its
   * provisioned concurrency read.
   */
  readonly reads?: Readonly<Record<string, number>>;
}

/**
 * A read AWS offers region-wide (one paged listing for every parent) that a
 * plan needs: in place of one read per parent where `replaces` names those,
 * or on its own where AWS has no per-parent read.
 */
export interface RegionWideRead {
  /** The type whose plan needs it: counted only when the plan holds that type. */
  readonly type: string;
  /** `Service Operation`. */
  readonly operation: string;
  /** Pages it takes, at AWS's largest page. */
  readonly pages: number;
  /** The per-resource reads (`Service Operation`) it answers for every resource at once. */
  readonly replaces: readonly string[];
  /** Calls it needs beside its pages to answer them (a Describe per item whose summary lacks its parent). */
  readonly alongWith?: Readonly<Record<string, number>>;
}

/** The simulated account, seeded, and what the bound and the minimum need to know of it. */
export interface StudentAccount {
  /** S3 object versions and delete markers seeded, every bucket. */
  readonly objects: number;
  /** The listings discovery needs at the least, per type. */
  readonly listings: readonly Listing[];
  /** Reads the plan (or a wait) needs region-wide, or can make region-wide in fewer calls. */
  readonly regionWideReads: readonly RegionWideRead[];
  /** How long the Personalize chain's deletes, jobs and training stop take. */
  readonly personalizeDurations: PersonalizeDurations;
  /** What deleting a resource takes (by type and name), beyond one delete and one read. */
  work(type: string, name: string): ResourceWork;
  /** Decoys that no longer exist (must be none). */
  decoysLost(): Promise<string[]>;
  /** Puts the mocks back. */
  restore(): void;
}

const pagesOf = (items: number, pageSize: number) => Math.max(1, Math.ceil(items / pageSize));
const none: ResourceWork = { calls: {}, rounds: 0 };

/**
 * Builds an account holding one copy of the student-system footprint per
 * prefix (everything manifests/student-system.yaml selects for that prefix,
 * as packages/sandbox/src/seed/ creates it), the workshop's fixed-name
 * resources once (Student-Management-Database, StudentUserPool,
 * student-event-bus, StudentChatAPI, which every copy shares), and decoys
 * the manifest must not select, on the plugins' own fakes, each seeded with
 * every copy at once. S3 holds `objectsPerCopy` entries per copy, on the
 * indexed fake. The Personalize fake runs on `clock`; its imports, batch
 * jobs and trainings start at the time of seeding, and take `durations`.
 */
export async function buildStudentAccount(
  prefixes: readonly string[],
  clock: Clock,
  objectsPerCopy: number,
  durations: PersonalizeDurations = workshopDurations,
): Promise<StudentAccount> {
  const routes = new MockRoutes();
  const works = new Map<string, ResourceWork>();
  const setWork = (type: string, name: string, work: ResourceWork) => works.set(`${type} ${name}`, work);
  const listings: Listing[] = [];
  const regionWideReads: RegionWideRead[] = [];
  const regionWide = (
    type: string,
    operation: string,
    items: number,
    pageSize: number,
    replaces: string[] = [],
    alongWith?: Record<string, number>,
  ) =>
    regionWideReads.push({
      type,
      operation,
      pages: pagesOf(items, pageSize),
      replaces,
      ...(alongWith && { alongWith }),
    });
  const listing = (
    type: string,
    service: string,
    operation: string,
    items: number,
    pageSize: number,
    inChildReads = false,
  ) => {
    const pages = pagesOf(items, pageSize);
    listings.push({
      type,
      service,
      operation,
      pages,
      chain: pages,
      items: { count: items, pageSize },
      ...(inChildReads ? { inChildReads } : {}),
    });
  };
  const decoyChecks: [string, () => boolean | Promise<boolean>][] = [];
  const decoy = (description: string, exists: () => boolean | Promise<boolean>) =>
    decoyChecks.push([description, exists]);
  const n = prefixes.length;

  // --- S3: the uploads bucket (versioned, 3 versions a key, an incomplete upload) and the frontend's assets.
  const s3 = new IndexedS3Account();
  const uploadKeys = Math.round((objectsPerCopy * 0.9) / 3);
  const assetKeys = objectsPerCopy - uploadKeys * 3;
  for (const p of prefixes) {
    s3.addBucket({ name: `${p}-uploads`, keys: uploadKeys, versionsPerKey: 3, uploads: 1 });
    s3.addBucket({ name: `${p}-frontend-assets`, keys: assetKeys, versionsPerKey: 1 });
    setWork("s3.bucket", `${p}-uploads`, bucketWork(uploadKeys * 3, 1));
    setWork("s3.bucket", `${p}-frontend-assets`, bucketWork(assetKeys, 0));
  }
  s3.addBucket({ name: "other-project-data", keys: 3, versionsPerKey: 1 });
  decoy("s3.bucket other-project-data", () => s3.bucketNames.includes("other-project-data"));
  routes.take(S3Client, () => s3.install(mockClient(S3Client)));
  listing("s3.bucket", "S3", "ListBuckets", 2 * n + 1, pageSizes.ListBuckets);

  // --- DynamoDB: each table has an on-demand backup (the fake's); only the prefixed entry deletes backups.
  const dynamodb = fakeDynamoDbAccount({ pageSize: pageSizes.ListTables, tagPageSize: 50 });
  const tables = ["Student-Management-Database", ...prefixes.map((p) => `${p}-Lecturers`), "other-project-table"];
  routes.take(DynamoDBClient, () => void dynamodb.seed(tables.map((name) => ({ name }))));
  // DeleteTable leaves a table DELETING until the fake is advanced: it is gone by the next read.
  routes.before(DynamoDBClient, (operation) => {
    if (operation === "DescribeTable") void dynamodb.advance?.();
  });
  for (const p of prefixes)
    setWork("dynamodb.table", `${p}-Lecturers`, { calls: { "DynamoDB DeleteBackup": 1 }, rounds: 0 });
  // Without TableName, ListBackups lists the region's backups (one a table), 100 a page.
  regionWide("dynamodb.table", "DynamoDB ListBackups", tables.length, 100, ["DynamoDB ListBackups"]);
  decoy("dynamodb.table other-project-table", async () => (await dynamodb.present()).includes("other-project-table"));
  listing("dynamodb.table", "DynamoDB", "ListTables", tables.length, pageSizes.ListTables);

  // --- Lambda: functions (every other one with a version, an alias and a URL; each with an event source
  // mapping, which the manifest deletes) and the shared layer (the fake seeds 52 versions a layer).
  const lambda = fakeLambdaAccount({ pageSize: pageSizes.ListFunctions, mappingPageSize: 100 });
  const functions = [...prefixes.flatMap(functionNames), "other-project-fn"];
  routes.take(LambdaClient, () => void lambda.functions.seed(functions.map((name) => ({ name }))), [
    "ListFunctions",
    "GetFunction",
    "ListTags",
    "ListVersionsByFunction",
    "ListAliases",
    "GetFunctionUrlConfig",
    "ListFunctionUrlConfigs",
    "ListProvisionedConcurrencyConfigs",
    "ListEventSourceMappings",
    "DeleteEventSourceMapping",
    "DeleteFunction",
  ]);
  const layers = [...prefixes.map((p) => `${p}-common-layer`), "other-project-layer"];
  const lambdaLayers = fakeLambdaAccount({ pageSize: pageSizes.ListLayers });
  routes.take(LambdaClient, () => void lambdaLayers.layers.seed(layers.map((name) => ({ name }))), [
    "ListLayers",
    "ListLayerVersions",
    "DeleteLayerVersion",
  ]);
  // The fake gives every second function (in seeding order) a version and an alias: a provisioned
  // concurrency config can sit only on those, so only theirs are read.
  functions.forEach((name, i) =>
    setWork("lambda.function", name, {
      calls: { "Lambda DeleteEventSourceMapping": 1 },
      rounds: 0,
      ...(i % 2 === 1 ? { reads: { "Lambda ListProvisionedConcurrencyConfigs": 1 } } : {}),
    }),
  );
  // Without FunctionName, ListEventSourceMappings lists the region's mappings (one a function), 100 a page.
  regionWide("lambda.function", "Lambda ListEventSourceMappings", functions.length, 100, [
    "Lambda ListEventSourceMappings",
  ]);
  const layerVersions = pageSizes.ListLayers + 2;
  for (const name of layers) {
    setWork("lambda.layer", name, {
      calls: {},
      rounds: 0,
      deletes: layerVersions,
      reads: { "Lambda ListLayerVersions": pagesOf(layerVersions, 50) },
    });
  }
  decoy("lambda.function other-project-fn", async () =>
    (await lambda.functions.present()).includes("other-project-fn"),
  );
  decoy("lambda.layer other-project-layer", async () =>
    (await lambdaLayers.layers.present()).includes("other-project-layer"),
  );
  listing("lambda.function", "Lambda", "ListFunctions", functions.length, pageSizes.ListFunctions);
  listing("lambda.layer", "Lambda", "ListLayers", layers.length, pageSizes.ListLayers);

  // --- CloudWatch Logs: each function's group, and one left by a function deleted earlier.
  const logs = fakeLogsAccount(pageSizes.DescribeLogGroups);
  const groups = [
    ...prefixes.flatMap((p) => [...functionNames(p), `${p}-legacy-grades-handler`]),
    "other-project-fn",
  ].map((fn) => `/aws/lambda/${fn}`);
  routes.take(CloudWatchLogsClient, () => void logs.seed(groups.map((name) => ({ name }))));
  decoy("logs.log-group /aws/lambda/other-project-fn", async () =>
    (await logs.present()).includes("/aws/lambda/other-project-fn"),
  );
  // The call filters by name prefix on the server: any tool lists only the students' groups.
  const studentGroups = groups.filter((g) => prefixes.some((p) => g.startsWith(`/aws/lambda/${p}-`))).length;
  listing("logs.log-group", "CloudWatchLogs", "DescribeLogGroups", studentGroups, pageSizes.DescribeLogGroups);

  // --- API Gateway: the backend REST API (stage prod, a usage plan with an API key), the realtime
  // WebSocket API; StudentChatAPI once; another project's REST API (with its plan) and HTTP API.
  const apigateway = new FakeApiGateway(pageSizes.GetRestApis);
  const restApi = (name: string, key: string) => {
    const api = apigateway.addRestApi({ name, stages: ["prod"] });
    apigateway.addUsagePlan({
      id: `plan-${name}`,
      name: `${name}-usage-plan`,
      apiStages: [{ apiId: api.id, stage: "prod" }],
      keys: [{ id: `key-${name}`, name: key }],
    });
    return api;
  };
  const websocket = (name: string) =>
    apigateway.addV2Api({ name, protocol: "WEBSOCKET", stages: ["production"], routes: ["$connect", "sendMessage"] });
  for (const p of prefixes) {
    restApi(`${p}-backend-api`, `${p}-api-key`);
    websocket(`${p}-realtime`);
    setWork("apigateway.rest-api", `${p}-backend-api`, {
      calls: { "APIGateway UpdateUsagePlan": 1, "APIGateway DeleteUsagePlan": 1, "APIGateway DeleteApiKey": 1 },
      rounds: 0,
    });
  }
  websocket("StudentChatAPI");
  const otherRest = restApi("other-project-api", "other-project-key");
  const otherHttp = apigateway.addV2Api({ name: "other-project-http", protocol: "HTTP" });
  // One install stubs both clients: take the v1 stub, then the v2 one it left on its client.
  routes.take(APIGatewayClient, () =>
    apigateway.install({ v1: mockClient(APIGatewayClient), v2: mockClient(ApiGatewayV2Client) }),
  );
  routes.take(ApiGatewayV2Client, () => undefined);
  decoy("apigateway.rest-api other-project-api", () => apigateway.restApis.has(otherRest.id));
  decoy("apigateway usage plan of other-project-api", () =>
    apigateway.usagePlans.some((plan) => plan.id === "plan-other-project-api"),
  );
  decoy("apigateway.http-api other-project-http", () => apigateway.v2Apis.has(otherHttp.id));
  listing("apigateway.rest-api", "APIGateway", "GetRestApis", n + 1, pageSizes.GetRestApis);
  // Usage plans name their APIs; AWS lists them only region-wide (500 a page).
  regionWide("apigateway.rest-api", "APIGateway GetUsagePlans", n + 1, 500);
  listing("apigateway.websocket-api", "ApiGatewayV2", "GetApis", n + 2, pageSizes.GetApis);

  // --- AppSync and Amplify.
  const appsync = new FakeAppSync(pageSizes.ListGraphqlApis);
  for (const p of prefixes) appsync.addApi({ name: `${p}-graphql`, apiKeys: ["da2-key"] });
  const otherGraphql = appsync.addApi({ name: "other-project-graphql", apiKeys: ["da2-other"] });
  routes.take(AppSyncClient, () => appsync.install(mockClient(AppSyncClient)));
  decoy("appsync.graphql-api other-project-graphql", () => appsync.apis.has(otherGraphql.id));
  listing("appsync.graphql-api", "AppSync", "ListGraphqlApis", n + 1, pageSizes.ListGraphqlApis);
  // Custom domains (none here) and the APIs they serve are listed only region-wide: one call says there are none.
  regionWide("appsync.graphql-api", "AppSync ListDomainNames", 0, 25);

  const amplify = new FakeAmplify(pageSizes.ListApps);
  for (const p of prefixes) amplify.addApp({ name: `${p}-frontend`, branches: [{ name: "main" }] });
  const otherApp = amplify.addApp({ name: "other-project-app", branches: [{ name: "main" }] });
  routes.take(AmplifyClient, () => amplify.installApps(mockClient(AmplifyClient)));
  routes.take(CloudFormationClient, () => amplify.installStacks(mockClient(CloudFormationClient)));
  decoy("amplify.app other-project-app", () => amplify.apps.has(otherApp.id));
  listing("amplify.app", "Amplify", "ListApps", n + 1, pageSizes.ListApps);

  // --- Personalize: the workshop's chain per prefix (as buildWorkshopAccount seeds it, in one account).
  const personalize = new FakePersonalizeAccount({
    clock,
    pageSize: pageSizes.Personalize,
    deletePhases: durations.deletePhases,
    stopSolutionVersionMs: durations.stopMs,
  });
  const sharedSchema = personalize.addSchema({ name: "shared-users-schema" });
  for (const p of prefixes) addPersonalizeCopy(personalize, p, sharedSchema, setWork, clock.now(), durations);
  const otherGroup = personalize.addDatasetGroup({ name: "other-team-dataset-group" });
  personalize.addDataset({ name: "other-team-users", group: otherGroup, type: "Users", schema: sharedSchema });
  const otherSolution = personalize.addSolution({ name: "other-team-solution", group: otherGroup });
  const otherCampaign = personalize.addCampaign({
    name: "other-team-campaign",
    solutionVersion: personalize.addSolutionVersion({ solution: otherSolution }),
  });
  routes.take(PersonalizeClient, () => personalize.install(mockClient(PersonalizeClient)));
  decoy("personalize.dataset-group other-team-dataset-group", () => personalize.exists(otherGroup));
  decoy("personalize.campaign other-team-campaign", () => personalize.exists(otherCampaign));
  decoy("personalize.schema shared-users-schema", () => personalize.exists(sharedSchema));
  const personalizeListings: [string, string, number][] = [
    ["personalize.dataset-group", "ListDatasetGroups", n + 1],
    ["personalize.campaign", "ListCampaigns", 2 * n + 1],
    ["personalize.solution", "ListSolutions", 2 * n + 1],
    ["personalize.recommender", "ListRecommenders", n],
    ["personalize.filter", "ListFilters", n],
    ["personalize.event-tracker", "ListEventTrackers", n],
    ["personalize.metric-attribution", "ListMetricAttributions", n],
    ["personalize.dataset", "ListDatasets", 3 * n + 1],
    ["personalize.schema", "ListSchemas", 2 * n + 1],
  ];
  for (const [type, operation, items] of personalizeListings) {
    // An event tracker's summary names no group: trackers are listed group by group, and those are
    // the very calls that find what each dataset group holds.
    const inChildReads = type === "personalize.event-tracker";
    listing(type, "Personalize", operation, items, pageSizes.Personalize, inChildReads);
  }
  // What blocks or outlives a delete, listed region-wide when its parent's ARN is left out (100 a page):
  // every solution version (3 a copy; its ARN names its solution), import job (2 a copy), export job (none),
  // batch job (1 a copy; its summary names its solution version).
  const personalizePage = pageSizes.Personalize;
  regionWide("personalize.solution", "Personalize ListSolutionVersions", 3 * n + 1, personalizePage, [
    "Personalize ListSolutionVersions",
  ]);
  regionWide("personalize.solution", "Personalize ListBatchInferenceJobs", n, personalizePage, [
    "Personalize ListBatchInferenceJobs",
  ]);
  regionWide("personalize.solution", "Personalize ListBatchSegmentJobs", 0, personalizePage, [
    "Personalize ListBatchSegmentJobs",
  ]);
  // An import job's summary does not name its dataset: region-wide, the job still running (one a copy)
  // must be described to know which dataset it holds back.
  regionWide(
    "personalize.dataset",
    "Personalize ListDatasetImportJobs",
    2 * n,
    personalizePage,
    ["Personalize ListDatasetImportJobs"],
    { "Personalize DescribeDatasetImportJob": n },
  );
  regionWide("personalize.dataset", "Personalize ListDatasetExportJobs", 0, personalizePage, [
    "Personalize ListDatasetExportJobs",
  ]);
  // A schema goes only when no dataset of the region uses it, and only DescribeDataset names a dataset's schema.
  regionWide("personalize.schema", "Personalize DescribeDataset", 3 * n + 1, 1);
  // Waits: every copy's jobs and trainings end together, so one more region-wide listing of each kind
  // sees them all end (a tool that knew when would read nothing sooner).
  regionWide("personalize.dataset", "Personalize ListDatasetImportJobs", 2 * n, personalizePage);
  regionWide("personalize.solution", "Personalize ListBatchInferenceJobs", n, personalizePage);
  regionWide("personalize.solution", "Personalize ListSolutionVersions", 3 * n + 1, personalizePage);

  // --- Cognito: the workshop's pool (one per account) and another project's; each has a domain.
  const cognito = fakeUserPoolAccount(pageSizes.ListUserPools);
  routes.take(
    CognitoIdentityProviderClient,
    () => void cognito.seed([{ name: "StudentUserPool" }, { name: "OtherProjectPool" }]),
  );
  setWork("cognito.user-pool", "StudentUserPool", {
    calls: { "CognitoIdentityProvider DeleteUserPoolDomain": 1 },
    rounds: 1,
  });
  decoy("cognito.user-pool OtherProjectPool", async () => (await cognito.present()).includes("OtherProjectPool"));
  listing("cognito.user-pool", "CognitoIdentityProvider", "ListUserPools", 2, pageSizes.ListUserPools);

  // --- EventBridge: three rules a prefix on the workshop's bus; another project's bus and rules.
  const events = new FakeEventBridge();
  events.pageSize = pageSizes.ListRules;
  events.addBus("student-event-bus");
  const rules: [string, number][] = [
    ["email-rule", 1],
    ["ml-training-rule", 2],
    ["nightly-update-rule", 1],
  ];
  for (const p of prefixes) {
    for (const [rule, targets] of rules) {
      events.addRule("student-event-bus", `${p}-${rule}`, targets);
      setWork("eventbridge.rule", `${p}-${rule}`, { calls: { "EventBridge RemoveTargets": 1 }, rounds: 1 });
    }
  }
  events.addBus("other-project-bus").addRule("other-project-bus", "other-project-bus-rule", 1);
  events.addRule("default", "other-project-rule", 1);
  routes.take(EventBridgeClient, () => void events.install(mockClient(EventBridgeClient)));
  decoy("eventbridge.event-bus other-project-bus", () => events.buses.has("other-project-bus"));
  decoy(
    "eventbridge.rule other-project-rule",
    () => events.buses.get("default")?.rules.has("other-project-rule") ?? false,
  );
  // Rules are listed bus by bus, after the buses.
  listing("eventbridge.event-bus", "EventBridge", "ListEventBuses", 3, pageSizes.ListRules);
  // A bus's archives are listed region-wide (EventSourceArn filters by bus, one call either way).
  regionWide("eventbridge.event-bus", "EventBridge ListArchives", 0, 100);
  listings.push({
    type: "eventbridge.rule",
    service: "EventBridge",
    operation: "ListRules",
    pages: pagesOf(3 * n, pageSizes.ListRules) + 2,
    chain: 1 + pagesOf(3 * n, pageSizes.ListRules),
  });

  // --- Scheduler: the nightly schedule in the default group; a group of its own with the weekly one.
  const scheduler = new FakeScheduler();
  scheduler.pageSize = pageSizes.ListSchedules;
  for (const p of prefixes) {
    scheduler.addSchedule("default", `${p}-nightly-schedule`);
    scheduler.addGroup(`${p}-schedules`).addSchedule(`${p}-schedules`, `${p}-weekly-report-schedule`);
  }
  scheduler.addSchedule("default", "other-project-schedule");
  routes.take(SchedulerClient, () => void scheduler.install(mockClient(SchedulerClient)));
  // DeleteScheduleGroup leaves the group DELETING until the fake finishes it: gone by the next read.
  routes.before(SchedulerClient, (operation) => {
    if (operation === "GetScheduleGroup" || operation === "ListScheduleGroups") scheduler.finishDeletes();
  });
  decoy(
    "scheduler.schedule other-project-schedule",
    () => scheduler.groups.get("default")?.schedules.has("other-project-schedule") ?? false,
  );
  // Both calls filter by name prefix on the server: any tool lists only the students' schedules and
  // groups, not other-project-schedule or the default group.
  listing("scheduler.schedule", "Scheduler", "ListSchedules", 2 * n, pageSizes.ListSchedules);
  listing("scheduler.schedule-group", "Scheduler", "ListScheduleGroups", n, pageSizes.ListScheduleGroups);

  // --- SES: the domain and the sender address of each prefix, its configuration set.
  const identities = [
    ...prefixes.flatMap((p) => [`${p}.example.com`, `noreply@${p}.example.com`]),
    "other-project.example.com",
  ];
  const sets = [...prefixes.map((p) => `${p}-config-set`), "other-project-config-set"];
  const sesIdentities = fakeSesAccount("identity", pageSizes.SesList);
  routes.take(SESv2Client, () => void sesIdentities.seed(identities.map((name) => ({ name }))), [
    "ListEmailIdentities",
    "GetEmailIdentity",
    "DeleteEmailIdentity",
  ]);
  const sesSets = fakeSesAccount("configuration-set", pageSizes.SesList);
  routes.take(SESv2Client, () => void sesSets.seed(sets.map((name) => ({ name }))), [
    "ListConfigurationSets",
    "GetConfigurationSet",
    "GetConfigurationSetEventDestinations",
    "DeleteConfigurationSet",
  ]);
  decoy("ses.email-identity other-project.example.com", async () =>
    (await sesIdentities.present()).includes("other-project.example.com"),
  );
  decoy("ses.configuration-set other-project-config-set", async () =>
    (await sesSets.present()).includes("other-project-config-set"),
  );
  listing("ses.email-identity", "SESv2", "ListEmailIdentities", identities.length, pageSizes.SesList);
  listing("ses.configuration-set", "SESv2", "ListConfigurationSets", sets.length, pageSizes.SesList);

  // --- IAM (packages/sandbox/src/seed/iam.ts): six roles, two policies, an instance profile a prefix.
  const iam = new FakeIam();
  for (const p of prefixes) addIamCopy(iam, p, setWork);
  iam.addRole({ name: "other-project-role", attachedPolicyArns: [awsManaged.lambdaBasic] });
  iam.addRole({ name: "other-project-lambda-role" });
  const otherPolicy = iam.addPolicy({ name: "other-project-policy" });
  iam.attach(otherPolicy.arn, { role: "other-project-role" });
  iam.addInstanceProfile({ name: "other-project-instance-profile", roleNames: ["other-project-role"] });
  routes.take(IAMClient, () => iam.install(mockClient(IAMClient)));
  decoy("iam.role other-project-role", () => iam.roles.has("other-project-role"));
  decoy("iam.policy other-project-policy", () => iam.policies.has(otherPolicy.arn));
  decoy("iam.instance-profile other-project-instance-profile", () =>
    iam.profiles.has("other-project-instance-profile"),
  );
  decoy("iam.role AWSServiceRoleForAutoScaling_*", () =>
    prefixes.every((p) => iam.roles.has(`AWSServiceRoleForAutoScaling_${p}`)),
  );
  listing("iam.role", "IAM", "ListRoles", iam.roles.size, pageSizes.Iam);
  listing("iam.policy", "IAM", "ListPolicies", iam.policies.size, pageSizes.Iam);
  listing("iam.instance-profile", "IAM", "ListInstanceProfiles", iam.profiles.size, pageSizes.Iam);
  // GetAccountAuthorizationDetails (Filter Role and LocalManagedPolicy, 1,000 items a page) gives every role
  // with its inline policies, attached policies and instance profiles, and every customer policy with its
  // versions (whose attachments follow from the roles'): in place of three reads a role and two a policy. (No
  // user or group here holds a policy.)
  regionWide("iam.role", "IAM GetAccountAuthorizationDetails", iam.roles.size + iam.policies.size, 1000, [
    "IAM ListRolePolicies",
    "IAM ListAttachedRolePolicies",
    "IAM ListInstanceProfilesForRole",
    "IAM ListEntitiesForPolicy",
    "IAM ListPolicyVersions",
  ]);

  const unmount = routes.mount();
  return {
    objects: prefixes.length * (uploadKeys * 3 + assetKeys) + 3,
    listings,
    regionWideReads,
    personalizeDurations: durations,
    work: (type, name) => works.get(`${type} ${name}`) ?? none,
    async decoysLost() {
      const lost: string[] = [];
      for (const [description, exists] of decoyChecks) if (!(await exists())) lost.push(description);
      return lost;
    },
    restore: unmount,
  };
}

/** A bucket's listing pages in sequence, then the last batch's DeleteObjects; uploads aborted alongside. */
function bucketWork(entries: number, uploads: number): ResourceWork {
  const pages = pagesOf(entries, S3_PAGE);
  return {
    calls: {
      "S3 ListObjectVersions": pages,
      "S3 DeleteObjects": Math.ceil(entries / S3_PAGE),
      "S3 ListMultipartUploads": 1,
      ...(uploads > 0 ? { "S3 AbortMultipartUpload": uploads } : {}),
    },
    rounds: pages + (entries > 0 ? 1 : 0),
  };
}

/**
 * The workshop's Personalize chain for one prefix, as
 * plugins/personalize/src/testing/workshop-account.ts builds it: a dataset
 * group with 2 campaigns, 2 solutions (the ranking one retraining for 2 h,
 * the similar-items one under a batch inference job, of 8 min in the
 * workshop's durations), a recommender, a filter, an event tracker, a metric
 * attribution, 3 datasets (the items import running, 12 min) on 2 schemas
 * of its own and the shared users schema.
 */
function addPersonalizeCopy(
  account: FakePersonalizeAccount,
  p: string,
  sharedSchema: string,
  setWork: (type: string, name: string, work: ResourceWork) => void,
  seededAt: number,
  { importMs, batchMs, stopMs }: PersonalizeDurations,
): void {
  const tags = { workshop: "student-system" };
  const interactionsSchema = account.addSchema({ name: `${p}-interactions-schema` });
  const itemsSchema = account.addSchema({ name: `${p}-items-schema` });
  const groupName = `${p}-ranking-dataset-group`;
  const group = account.addDatasetGroup({ name: groupName, tags });
  const interactions = account.addDataset({
    name: `${p}-interactions`,
    group,
    type: "Interactions",
    schema: interactionsSchema,
  });
  const items = account.addDataset({ name: `${p}-items`, group, type: "Items", schema: itemsSchema });
  account.addDataset({ name: `${p}-users`, group, type: "Users", schema: sharedSchema });
  account.addImportJob({ name: `${p}-interactions-import`, dataset: interactions });
  account.addImportJob({
    name: `${p}-items-import`,
    dataset: items,
    status: "CREATE IN_PROGRESS",
    then: [{ status: "ACTIVE", afterMs: importMs }],
  });
  setWork("personalize.dataset", `${groupName}/${p}-items`, { calls: {}, rounds: 0, notBefore: seededAt + importMs });

  const ranking = account.addSolution({ name: `${p}-ranking-solution`, group, tags });
  const rankingV1 = account.addSolutionVersion({ solution: ranking });
  account.addSolutionVersion({
    solution: ranking,
    status: "CREATE IN_PROGRESS",
    then: [{ status: "ACTIVE", afterMs: 120 * minute }],
  });
  // The training must be stopped, and stopping takes `stopMs`, before DeleteSolution.
  setWork("personalize.solution", `${p}-ranking-solution`, {
    calls: { "Personalize StopSolutionVersionCreation": 1 },
    rounds: 1,
    waitMs: stopMs,
  });
  const similar = account.addSolution({ name: `${p}-similar-items-solution`, group, tags });
  const similarV1 = account.addSolutionVersion({ solution: similar });
  account.addBatchInferenceJob({
    name: `${p}-nightly-batch`,
    solutionVersion: similarV1,
    status: "IN PROGRESS",
    then: [{ status: "ACTIVE", afterMs: batchMs }],
  });
  setWork("personalize.solution", `${p}-similar-items-solution`, {
    calls: {},
    rounds: 0,
    notBefore: seededAt + batchMs,
  });
  account.addCampaign({ name: `${p}-ranking-campaign`, solutionVersion: rankingV1, tags });
  account.addCampaign({ name: `${p}-similar-items-campaign`, solutionVersion: similarV1 });
  account.addRecommender({ name: `${p}-top-picks`, group });
  account.addFilter({ name: `${p}-exclude-purchased`, group });
  account.addEventTracker({ name: `${p}-event-tracker`, group });
  account.addMetricAttribution({ name: `${p}-metrics`, group });
}

/**
 * The workshop's IAM for one prefix (packages/sandbox/src/seed/iam.ts):
 * Lambda execution, AppSync, SES sender, Personalize import, DynamoDB access
 * (in the instance profile) and Amplify service roles, with AWS-managed and
 * customer policies attached and inline policies; the customer policies
 * (the DynamoDB one on its second version); and the service-linked role
 * Auto Scaling makes per prefix, a decoy nothing may touch.
 */
function addIamCopy(iam: FakeIam, p: string, setWork: (type: string, name: string, work: ResourceWork) => void): void {
  const tableAccess = iam.addPolicy({
    name: `${p}-dynamodb-access-policy`,
    versionIds: ["v1", "v2"],
    defaultVersionId: "v2",
  });
  const sesSend = iam.addPolicy({ name: `${p}-ses-send-policy` });
  setWork("iam.policy", tableAccess.name, { calls: { "IAM DeletePolicyVersion": 1 }, rounds: 1 });
  const roles: [string, string[], string[], string[]][] = [
    [
      "lambda-execution-role",
      ["lambda.amazonaws.com"],
      [awsManaged.lambdaBasic, tableAccess.arn],
      ["personalize-recommendations"],
    ],
    ["appsync-role", ["appsync.amazonaws.com"], [awsManaged.appSyncLogs], ["dynamodb-resolvers"]],
    ["ses-sender-role", ["lambda.amazonaws.com"], [awsManaged.lambdaBasic, sesSend.arn], []],
    ["personalize-import-role", ["personalize.amazonaws.com"], [], ["read-training-data"]],
    ["dynamodb-access-role", ["lambda.amazonaws.com", "ec2.amazonaws.com"], [tableAccess.arn], []],
    ["amplify-service-role", ["amplify.amazonaws.com"], [awsManaged.amplifyAdmin], []],
  ];
  const profile = `${p}-ec2-instance-profile`;
  for (const [suffix, services, attached, inline] of roles) {
    const name = `${p}-${suffix}`;
    iam.addRole({
      name,
      trustPolicy: trustPolicyFor(...services),
      attachedPolicyArns: [...attached],
      inlinePolicies: [...inline],
      ...(suffix === "amplify-service-role" ? { tags: [{ Key: "workshop", Value: "student-system" }] } : {}),
    });
    const inProfile = suffix === "dynamodb-access-role";
    const calls: Record<string, number> = {};
    if (attached.length) calls["IAM DetachRolePolicy"] = attached.length;
    if (inline.length) calls["IAM DeleteRolePolicy"] = inline.length;
    if (inProfile) calls["IAM RemoveRoleFromInstanceProfile"] = 1;
    setWork("iam.role", name, { calls, rounds: Object.keys(calls).length > 0 ? 1 : 0 });
  }
  iam.addInstanceProfile({ name: profile, roleNames: [`${p}-dynamodb-access-role`] });
  iam.addRole({
    name: `AWSServiceRoleForAutoScaling_${p}`,
    path: "/aws-service-role/autoscaling.amazonaws.com/",
    trustPolicy: trustPolicyFor("autoscaling.amazonaws.com"),
    attachedPolicyArns: ["arn:aws:iam::aws:policy/aws-service-role/AutoScalingServiceRolePolicy"],
    serviceLinked: true,
  });
}
