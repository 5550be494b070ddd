/**
 * A simulated Amazon Personalize account for tests: resources with statuses
 * that change over (simulated) time, and the rules AWS applies before a
 * delete succeeds. Install it on an aws-sdk-client-mock stub of
 * PersonalizeClient; every command the plugin sends is then answered from
 * this state, so a test can drive a whole account through its transitions
 * by advancing a clock.
 *
 * Rules encoded (from the Personalize API reference and "Requirements for
 * deleting Amazon Personalize resources"):
 * - a resource is deleted only when ACTIVE, CREATE FAILED or (recommender)
 *   INACTIVE; while it is being created, changing, or already being deleted,
 *   Delete* answers ResourceInUseException;
 * - a delete is asynchronous: DELETE PENDING -> DELETE IN_PROGRESS -> gone
 *   (a dataset group only shows DELETE PENDING); Describe* then answers
 *   ResourceNotFoundException;
 * - DeleteSolution: no campaign on its versions, no version CREATE PENDING /
 *   IN_PROGRESS / STOPPING, no batch job running on a version (the last one
 *   is an assumption: AWS documents no rule, the issue says to wait);
 * - DeleteDataset: no import (or export) job running on it, no solution
 *   version training in its group, no event tracker in its group for an
 *   Interactions dataset, no recommender of its group being created;
 * - DeleteDatasetGroup: no solution, event tracker, dataset, recommender,
 *   filter or metric attribution left in it;
 * - DeleteSchema: no dataset (in any state) references it; schemas have no
 *   status, the delete is immediate;
 * - StopSolutionVersionCreation: CREATE PENDING -> CREATE STOPPED at once,
 *   CREATE IN_PROGRESS -> CREATE STOPPING -> CREATE STOPPED;
 * - a dataset group holds at most one event tracker, and one dataset of
 *   each type (its ARN is `dataset/<group>/<TYPE>`);
 * - schemas and metric attributions take no tags ("Tagging Amazon
 *   Personalize resources" lists neither).
 */
import {
  DeleteCampaignCommand,
  DeleteDatasetCommand,
  DeleteDatasetGroupCommand,
  DeleteEventTrackerCommand,
  DeleteFilterCommand,
  DeleteMetricAttributionCommand,
  DeleteRecommenderCommand,
  DeleteSchemaCommand,
  DeleteSolutionCommand,
  DescribeCampaignCommand,
  DescribeDatasetCommand,
  DescribeDatasetExportJobCommand,
  DescribeDatasetImportJobCommand,
  DescribeDatasetGroupCommand,
  DescribeEventTrackerCommand,
  DescribeFilterCommand,
  DescribeMetricAttributionCommand,
  DescribeRecommenderCommand,
  DescribeSchemaCommand,
  DescribeSolutionCommand,
  InvalidInputException,
  InvalidNextTokenException,
  ListBatchInferenceJobsCommand,
  ListBatchSegmentJobsCommand,
  ListCampaignsCommand,
  ListDatasetExportJobsCommand,
  ListDatasetGroupsCommand,
  ListDatasetImportJobsCommand,
  ListDatasetsCommand,
  ListEventTrackersCommand,
  ListFiltersCommand,
  ListMetricAttributionsCommand,
  ListRecommendersCommand,
  ListSchemasCommand,
  ListSolutionVersionsCommand,
  ListSolutionsCommand,
  ListTagsForResourceCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  StopSolutionVersionCreationCommand,
  type PersonalizeClient,
} from "@aws-sdk/client-personalize";
import type { AwsClientStub } from "aws-sdk-client-mock";

/** Where the simulated account reads the time. */
export interface Clock {
  now(): number;
}

/** A clock a test moves by hand (start: 2025-01-06 09:00 UTC). */
export class ManualClock implements Clock {
  #now: number;
  constructor(start = Date.UTC(2025, 0, 6, 9)) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  /** Moves the time forward by `ms`. */
  advance(ms: number): void {
    this.#now += ms;
  }
}

/** The kinds of things the simulated account holds. */
export type FakeKind =
  | "datasetGroup"
  | "dataset"
  | "schema"
  | "solution"
  | "solutionVersion"
  | "campaign"
  | "recommender"
  | "filter"
  | "eventTracker"
  | "metricAttribution"
  | "importJob"
  | "exportJob"
  | "batchInferenceJob"
  | "batchSegmentJob";

/** The kinds that have a Delete API. */
export type DeletableKind =
  | "datasetGroup"
  | "dataset"
  | "schema"
  | "solution"
  | "campaign"
  | "recommender"
  | "filter"
  | "eventTracker"
  | "metricAttribution";

/** How long each phase of an asynchronous delete lasts: [DELETE PENDING, DELETE IN_PROGRESS] in ms. */
export type DeletePhases = Record<DeletableKind, readonly [pendingMs: number, inProgressMs: number]>;

/** Durations close to what AWS shows: campaigns and recommenders take minutes. */
export const defaultDeletePhases: DeletePhases = {
  campaign: [60_000, 240_000],
  recommender: [60_000, 180_000],
  solution: [30_000, 60_000],
  filter: [15_000, 30_000],
  eventTracker: [15_000, 45_000],
  metricAttribution: [15_000, 30_000],
  dataset: [30_000, 120_000],
  datasetGroup: [60_000, 0],
  schema: [0, 0],
};

/** A status the resource takes `afterMs` after it was added. */
export interface LaterStatus {
  readonly status: string;
  readonly afterMs: number;
}

/** What every added resource may say about itself. */
export interface AddOptions {
  /** Its name (also in its ARN where AWS puts it there). */
  readonly name: string;
  /** Its status now (default `ACTIVE`). */
  readonly status?: string;
  /** Statuses it takes later, e.g. an import job that ends in 10 minutes. */
  readonly then?: readonly LaterStatus[];
  /** Its tags. */
  readonly tags?: Record<string, string>;
}

/** Settings of a simulated account; everything has a default. */
export interface FakeAccountSettings {
  /** The clock statuses follow (default: a ManualClock). With vitest fake timers, pass `{ now: () => Date.now() }`. */
  readonly clock?: Clock;
  /** Items per List* page when the caller asks for more (default 100, the API maximum). */
  readonly pageSize?: number;
  /** Phase lengths of asynchronous deletes. */
  readonly deletePhases?: Partial<DeletePhases>;
  /** How long CREATE STOPPING lasts after StopSolutionVersionCreation (default 3 min). */
  readonly stopSolutionVersionMs?: number;
  readonly region?: string;
  readonly accountId?: string;
}

interface Transition {
  /** `null`: the resource is gone. */
  readonly status: string | null;
  readonly at: number;
}

interface Entry {
  readonly kind: FakeKind;
  readonly arn: string;
  readonly name: string;
  readonly created: number;
  updated: number;
  status: string;
  next: Transition[];
  /** The dataset group, solution, dataset or solution version it belongs to. */
  readonly parent?: string;
  readonly schemaArn?: string;
  readonly datasetType?: string;
  readonly tags: Record<string, string>;
}

/** Statuses in which AWS accepts a Delete* call. */
const deletableStatuses = new Set(["ACTIVE", "CREATE FAILED", "INACTIVE"]);
/** Statuses of solution versions and jobs that are finished. */
const finishedStatuses = new Set(["ACTIVE", "CREATE FAILED", "CREATE STOPPED"]);

const arnPaths: Record<FakeKind, string> = {
  datasetGroup: "dataset-group",
  dataset: "dataset",
  schema: "schema",
  solution: "solution",
  solutionVersion: "solution",
  campaign: "campaign",
  recommender: "recommender",
  filter: "filter",
  eventTracker: "event-tracker",
  metricAttribution: "metric-attribution",
  importJob: "dataset-import-job",
  exportJob: "dataset-export-job",
  batchInferenceJob: "batch-inference-job",
  batchSegmentJob: "batch-segment-job",
};

/** What AWS answers a call over the API's rate: for tests that make a read fail once. */
export function throttlingError(): Error {
  return Object.assign(new Error("Rate exceeded"), {
    name: "ThrottlingException",
    $metadata: { httpStatusCode: 400 },
  });
}

function notFound(arn: string | undefined): never {
  throw new ResourceNotFoundException({ message: `Could not find resource ${arn}`, $metadata: {} });
}

function inUse(message: string): never {
  throw new ResourceInUseException({ message, $metadata: {} });
}

/** A simulated Personalize account (one region). */
export class FakePersonalizeAccount {
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  readonly #pageSize: number;
  readonly #deletePhases: DeletePhases;
  readonly #stopMs: number;
  readonly #entries = new Map<string, Entry>();
  /** Entries by kind, in the order they were added (the List APIs' order). */
  readonly #byKind = new Map<FakeKind, Map<string, Entry>>();
  /** Entries with a status change still to come: the only ones `#settle` has to look at. */
  readonly #changing = new Set<Entry>();
  #serial = 0;

  constructor(settings: FakeAccountSettings = {}) {
    this.clock = settings.clock ?? new ManualClock();
    this.region = settings.region ?? "us-east-1";
    this.accountId = settings.accountId ?? "123456789012";
    this.#pageSize = settings.pageSize ?? 100;
    this.#deletePhases = { ...defaultDeletePhases, ...settings.deletePhases };
    this.#stopMs = settings.stopSolutionVersionMs ?? 180_000;
  }

  // ---- building the account ---------------------------------------------------------------

  addDatasetGroup(options: AddOptions): string {
    return this.#add("datasetGroup", options, options.name);
  }

  /** A schema; AWS cannot tag schemas (CreateSchema takes no tags, TagResource does not list them). */
  addSchema(options: Omit<AddOptions, "tags">): string {
    return this.#add("schema", options, options.name);
  }

  addDataset(options: AddOptions & { group: string; type: string; schema: string }): string {
    const group = this.#get(options.group);
    return this.#add("dataset", options, `${group.name}/${options.type.toUpperCase()}`, {
      parent: options.group,
      schemaArn: options.schema,
      datasetType: options.type,
    });
  }

  addImportJob(options: AddOptions & { dataset: string }): string {
    return this.#add("importJob", options, options.name, { parent: options.dataset });
  }

  addExportJob(options: AddOptions & { dataset: string }): string {
    return this.#add("exportJob", options, options.name, { parent: options.dataset });
  }

  addSolution(options: AddOptions & { group: string }): string {
    return this.#add("solution", options, options.name, { parent: options.group });
  }

  /** A solution version; its name is the version id in the ARN. */
  addSolutionVersion(options: Omit<AddOptions, "name"> & { solution: string }): string {
    const solution = this.#get(options.solution);
    const id = (++this.#serial).toString(16).padStart(8, "0");
    return this.#add("solutionVersion", { ...options, name: id }, `${solution.name}/${id}`, {
      parent: options.solution,
    });
  }

  addCampaign(options: AddOptions & { solutionVersion: string }): string {
    return this.#add("campaign", options, options.name, { parent: options.solutionVersion });
  }

  addRecommender(options: AddOptions & { group: string }): string {
    return this.#add("recommender", options, options.name, { parent: options.group });
  }

  addFilter(options: AddOptions & { group: string }): string {
    return this.#add("filter", options, options.name, { parent: options.group });
  }

  /** An event tracker; AWS names its ARN by a generated id, not by its name. */
  addEventTracker(options: AddOptions & { group: string }): string {
    // "Only one event tracker can be associated with a dataset group" (CreateEventTracker).
    if (this.#children("eventTracker", options.group).length > 0) {
      throw new Error(`the dataset group ${options.group} already has an event tracker`);
    }
    const id = (++this.#serial).toString(16).padStart(8, "0");
    return this.#add("eventTracker", options, id, { parent: options.group });
  }

  /** A metric attribution; AWS cannot tag them (CreateMetricAttribution takes no tags). */
  addMetricAttribution(options: Omit<AddOptions, "tags"> & { group: string }): string {
    return this.#add("metricAttribution", options, options.name, { parent: options.group });
  }

  addBatchInferenceJob(options: AddOptions & { solutionVersion: string }): string {
    return this.#add("batchInferenceJob", options, options.name, { parent: options.solutionVersion });
  }

  addBatchSegmentJob(options: AddOptions & { solutionVersion: string }): string {
    return this.#add("batchSegmentJob", options, options.name, { parent: options.solutionVersion });
  }

  // ---- reading the account (for assertions) ------------------------------------------------

  /** The resource's status now, or `undefined` once it is gone. */
  status(arn: string): string | undefined {
    this.#settle();
    return this.#entries.get(arn)?.status;
  }

  /** Whether the resource still exists (in any status). */
  exists(arn: string): boolean {
    return this.status(arn) !== undefined;
  }

  /** The ARNs of every resource of a kind that still exists. */
  arnsOf(kind: FakeKind): string[] {
    return this.#all(kind).map((e) => e.arn);
  }

  /**
   * Answers every Personalize command the plugin uses from this account.
   * Call after `mock.reset()`; commands not listed here stay unanswered
   * (aws-sdk-client-mock returns undefined), which a test will notice.
   */
  install(mock: AwsClientStub<PersonalizeClient>): void {
    // Each handler is typed by its command's input (aws-sdk-client-mock hands the input, not the command).
    type CommandClass = new (...args: never[]) => { readonly input: object };
    const on = <C extends CommandClass>(command: C, handle: (input: InstanceType<C>["input"]) => unknown): void => {
      // aws-sdk-client-mock's `on` wants the client's union of commands.
      mock
        .on(command as unknown as Parameters<typeof mock.on>[0])
        .callsFake(async (input: InstanceType<C>["input"]) => {
          this.#settle();
          return handle(input);
        });
    };
    on(ListDatasetGroupsCommand, (i) => this.#list(i, this.#all("datasetGroup"), "datasetGroups", summary));
    on(ListDatasetsCommand, (i) =>
      this.#list(i, this.#children("dataset", i.datasetGroupArn), "datasets", (e) => ({
        ...summary(e),
        datasetType: e.datasetType,
      })),
    );
    on(ListSchemasCommand, (i) => this.#list(i, this.#all("schema"), "schemas", schemaSummary));
    on(ListSolutionsCommand, (i) => this.#list(i, this.#children("solution", i.datasetGroupArn), "solutions", summary));
    on(ListSolutionVersionsCommand, (i) =>
      this.#list(i, this.#children("solutionVersion", i.solutionArn), "solutionVersions", versionSummary),
    );
    on(ListCampaignsCommand, (i) =>
      this.#list(
        i,
        this.#all("campaign").filter((c) => !i.solutionArn || this.#solutionOf(c) === i.solutionArn),
        "campaigns",
        summary,
      ),
    );
    on(ListRecommendersCommand, (i) =>
      this.#list(i, this.#children("recommender", i.datasetGroupArn), "recommenders", (e) => ({
        ...summary(e),
        datasetGroupArn: e.parent,
      })),
    );
    on(ListFiltersCommand, (i) =>
      this.#list(i, this.#children("filter", i.datasetGroupArn), "Filters", (e) => ({
        ...summary(e),
        datasetGroupArn: e.parent,
      })),
    );
    on(ListEventTrackersCommand, (i) =>
      this.#list(i, this.#children("eventTracker", i.datasetGroupArn), "eventTrackers", summary),
    );
    on(ListMetricAttributionsCommand, (i) =>
      this.#list(i, this.#children("metricAttribution", i.datasetGroupArn), "metricAttributions", summary),
    );
    on(ListDatasetImportJobsCommand, (i) =>
      this.#list(i, this.#children("importJob", i.datasetArn), "datasetImportJobs", jobSummary),
    );
    on(ListDatasetExportJobsCommand, (i) =>
      this.#list(i, this.#children("exportJob", i.datasetArn), "datasetExportJobs", jobSummary),
    );
    on(ListBatchInferenceJobsCommand, (i) =>
      this.#list(i, this.#children("batchInferenceJob", i.solutionVersionArn), "batchInferenceJobs", (e) => ({
        ...jobSummary(e),
        solutionVersionArn: e.parent,
      })),
    );
    on(ListBatchSegmentJobsCommand, (i) =>
      this.#list(i, this.#children("batchSegmentJob", i.solutionVersionArn), "batchSegmentJobs", (e) => ({
        ...jobSummary(e),
        solutionVersionArn: e.parent,
      })),
    );
    on(ListTagsForResourceCommand, (i) => ({
      tags: Object.entries(this.#get(i.resourceArn).tags).map(([tagKey, tagValue]) => ({ tagKey, tagValue })),
    }));

    // Each Describe* answers the summary of its own kind (another kind's ARN finds nothing) and the parent ARN.
    on(DescribeDatasetGroupCommand, (i) => ({ datasetGroup: this.#described(i.datasetGroupArn, "datasetGroup") }));
    on(DescribeDatasetCommand, (i) => {
      const e = this.#get(i.datasetArn, "dataset");
      return {
        dataset: {
          ...this.#described(i.datasetArn, "dataset", "datasetGroupArn"),
          datasetType: e.datasetType,
          schemaArn: e.schemaArn,
        },
      };
    });
    on(DescribeSchemaCommand, (i) => ({ schema: this.#described(i.schemaArn, "schema") }));
    on(DescribeSolutionCommand, (i) => ({
      solution: this.#described(i.solutionArn, "solution", "datasetGroupArn"),
    }));
    on(DescribeCampaignCommand, (i) => ({
      campaign: this.#described(i.campaignArn, "campaign", "solutionVersionArn"),
    }));
    on(DescribeRecommenderCommand, (i) => ({
      recommender: this.#described(i.recommenderArn, "recommender", "datasetGroupArn"),
    }));
    on(DescribeFilterCommand, (i) => ({ filter: this.#described(i.filterArn, "filter", "datasetGroupArn") }));
    on(DescribeEventTrackerCommand, (i) => ({
      eventTracker: this.#described(i.eventTrackerArn, "eventTracker", "datasetGroupArn"),
    }));
    on(DescribeMetricAttributionCommand, (i) => ({
      metricAttribution: this.#described(i.metricAttributionArn, "metricAttribution", "datasetGroupArn"),
    }));

    // Planning describes the dataset jobs still running: their summaries do not name their dataset.
    on(DescribeDatasetImportJobCommand, (i) => ({
      datasetImportJob: this.#described(i.datasetImportJobArn, "importJob", "datasetArn"),
    }));
    on(DescribeDatasetExportJobCommand, (i) => ({
      datasetExportJob: this.#described(i.datasetExportJobArn, "exportJob", "datasetArn"),
    }));

    on(DeleteCampaignCommand, (i) => this.#delete(i.campaignArn, "campaign"));
    on(DeleteSolutionCommand, (i) => this.#delete(i.solutionArn, "solution"));
    on(DeleteRecommenderCommand, (i) => this.#delete(i.recommenderArn, "recommender"));
    on(DeleteFilterCommand, (i) => this.#delete(i.filterArn, "filter"));
    on(DeleteEventTrackerCommand, (i) => this.#delete(i.eventTrackerArn, "eventTracker"));
    on(DeleteMetricAttributionCommand, (i) => this.#delete(i.metricAttributionArn, "metricAttribution"));
    on(DeleteDatasetCommand, (i) => this.#delete(i.datasetArn, "dataset"));
    on(DeleteDatasetGroupCommand, (i) => this.#delete(i.datasetGroupArn, "datasetGroup"));
    on(DeleteSchemaCommand, (i) => this.#delete(i.schemaArn, "schema"));
    on(StopSolutionVersionCreationCommand, (i) => this.#stopSolutionVersion(i.solutionVersionArn));
  }

  // ---- internals -----------------------------------------------------------------------------

  #add(kind: FakeKind, options: AddOptions, arnName: string, extra: Partial<Entry> = {}): string {
    const arn = `arn:aws:personalize:${this.region}:${this.accountId}:${arnPaths[kind]}/${arnName}`;
    if (this.#entries.has(arn)) throw new Error(`the fake account already holds ${arn}`);
    if (extra.parent !== undefined) this.#get(extra.parent);
    const now = this.clock.now();
    const entry: Entry = {
      kind,
      arn,
      name: options.name,
      created: now,
      updated: now,
      status: options.status ?? "ACTIVE",
      next: (options.then ?? []).map((t) => ({ status: t.status, at: now + t.afterMs })),
      tags: { ...options.tags },
      ...extra,
    };
    this.#entries.set(arn, entry);
    this.#kind(kind).set(arn, entry);
    if (entry.next.length > 0) this.#changing.add(entry);
    return arn;
  }

  /** The entry, of `kind` when given: as AWS, a Describe* of another kind's ARN finds nothing. */
  #get(arn: string | undefined, kind?: FakeKind): Entry {
    const entry = arn === undefined ? undefined : this.#entries.get(arn);
    return entry && (!kind || entry.kind === kind) ? entry : notFound(arn);
  }

  #all(kind: FakeKind): Entry[] {
    return [...this.#kind(kind).values()];
  }

  #kind(kind: FakeKind): Map<string, Entry> {
    let entries = this.#byKind.get(kind);
    if (!entries) this.#byKind.set(kind, (entries = new Map<string, Entry>()));
    return entries;
  }

  /** Sets what an entry becomes later (an empty list: nothing). */
  #schedule(entry: Entry, next: Transition[]): void {
    entry.next = next;
    if (next.length > 0) this.#changing.add(entry);
    else this.#changing.delete(entry);
  }

  /** Entries of a kind under a parent; all of the kind when no parent is given (as the List APIs do). */
  #children(kind: FakeKind, parent: string | undefined): Entry[] {
    return this.#all(kind).filter((e) => parent === undefined || e.parent === parent);
  }

  #solutionOf(campaign: Entry): string | undefined {
    return campaign.parent === undefined ? undefined : this.#entries.get(campaign.parent)?.parent;
  }

  /** Applies every status change that is due by now; removes what is gone. */
  #settle(): void {
    const now = this.clock.now();
    for (const entry of [...this.#changing]) {
      while (entry.next.length > 0 && entry.next[0]!.at <= now) {
        const { status, at } = entry.next.shift()!;
        if (status === null) {
          this.#remove(entry.arn);
          break;
        }
        entry.status = status;
        entry.updated = at;
      }
      if (entry.next.length === 0) this.#changing.delete(entry);
    }
  }

  /** Removes a resource and what AWS removes with it (a solution's versions, a dataset's jobs). */
  #remove(arn: string): void {
    const entry = this.#entries.get(arn);
    if (!entry) return;
    this.#entries.delete(arn);
    this.#kind(entry.kind).delete(arn);
    this.#changing.delete(entry);
    for (const child of [...this.#entries.values()]) {
      if (child.parent === arn && ["solutionVersion", "importJob", "exportJob"].includes(child.kind)) {
        this.#remove(child.arn);
      }
    }
  }

  #list<I extends { nextToken?: string; maxResults?: number }, K extends string>(
    input: I,
    entries: Entry[],
    key: K,
    shape: (e: Entry) => Record<string, unknown>,
  ): Record<K, Record<string, unknown>[]> & { nextToken?: string } {
    const size = Math.min(input.maxResults ?? 100, this.#pageSize);
    let start = 0;
    if (input.nextToken !== undefined) {
      const match = /^page-(\d+)$/.exec(input.nextToken);
      if (!match) throw new InvalidNextTokenException({ message: "Invalid next token", $metadata: {} });
      start = Number(match[1]);
    }
    const page = entries.slice(start, start + size).map(shape);
    const end = start + size;
    return {
      [key]: page,
      ...(end < entries.length ? { nextToken: `page-${end}` } : {}),
    } as Record<K, Record<string, unknown>[]> & { nextToken?: string };
  }

  /** A Describe* answer: the summary of a resource of `kind`, and its parent's ARN under `parentKey`. */
  #described(arn: string | undefined, kind: FakeKind, parentKey?: string): Record<string, unknown> {
    const e = this.#get(arn, kind);
    return { ...summaryShapes[kind](e), ...(parentKey !== undefined ? { [parentKey]: e.parent } : {}) };
  }

  #delete(arn: string | undefined, kind: DeletableKind): Record<string, never> {
    const entry = this.#get(arn);
    if (entry.kind !== kind) notFound(arn);
    if (entry.status.startsWith("DELETE")) inUse(`${entry.name} is already being deleted (${entry.status})`);
    if (kind !== "schema" && !deletableStatuses.has(entry.status)) {
      inUse(`${entry.name} cannot be deleted while it is ${entry.status}`);
    }
    const blockers = this.#blockers(entry);
    if (blockers.length > 0) inUse(`${entry.name} is in use: ${blockers.join(", ")}`);
    const [pendingMs, inProgressMs] = this.#deletePhases[kind];
    if (pendingMs + inProgressMs === 0) {
      this.#remove(entry.arn);
      return {};
    }
    const now = this.clock.now();
    entry.status = "DELETE PENDING";
    entry.updated = now;
    this.#schedule(
      entry,
      inProgressMs > 0
        ? [
            { status: "DELETE IN_PROGRESS", at: now + pendingMs },
            { status: null, at: now + pendingMs + inProgressMs },
          ]
        : [{ status: null, at: now + pendingMs }],
    );
    return {};
  }

  /** What AWS would name as still using the resource. */
  #blockers(entry: Entry): string[] {
    const running = (e: Entry) => !finishedStatuses.has(e.status);
    const describe = (es: Entry[]) => es.map((e) => `${e.kind} ${e.name} (${e.status})`);
    switch (entry.kind) {
      case "solution": {
        const versions = this.#children("solutionVersion", entry.arn);
        const versionArns = new Set(versions.map((v) => v.arn));
        return describe([
          ...this.#all("campaign").filter((c) => c.parent !== undefined && versionArns.has(c.parent)),
          ...versions.filter(running),
          ...[...this.#all("batchInferenceJob"), ...this.#all("batchSegmentJob")].filter(
            (j) => j.parent !== undefined && versionArns.has(j.parent) && running(j),
          ),
        ]);
      }
      case "dataset": {
        const group = entry.parent;
        const solutions = new Set(this.#children("solution", group).map((s) => s.arn));
        return describe([
          ...this.#children("importJob", entry.arn).filter(running),
          ...this.#children("exportJob", entry.arn).filter(running),
          ...this.#all("solutionVersion").filter(
            (v) => v.parent !== undefined && solutions.has(v.parent) && running(v),
          ),
          ...(entry.datasetType?.toUpperCase() === "INTERACTIONS" ? this.#children("eventTracker", group) : []),
          ...this.#children("recommender", group).filter((r) => r.status.startsWith("CREATE ") && running(r)),
        ]);
      }
      case "datasetGroup":
        return describe(
          (["solution", "eventTracker", "dataset", "recommender", "filter", "metricAttribution"] as const).flatMap(
            (kind) => this.#children(kind, entry.arn),
          ),
        );
      case "schema":
        return describe(this.#all("dataset").filter((d) => d.schemaArn === entry.arn));
      default:
        return [];
    }
  }

  #stopSolutionVersion(arn: string | undefined): Record<string, never> {
    const version = this.#get(arn);
    const now = this.clock.now();
    if (version.status === "CREATE PENDING") {
      version.status = "CREATE STOPPED";
      this.#schedule(version, []);
    } else if (version.status === "CREATE IN_PROGRESS") {
      version.status = "CREATE STOPPING";
      this.#schedule(version, [{ status: "CREATE STOPPED", at: now + this.#stopMs }]);
    } else {
      throw new InvalidInputException({
        message: `Solution version ${version.name} is ${version.status}: only CREATE PENDING or CREATE IN_PROGRESS can be stopped`,
        $metadata: {},
      });
    }
    version.updated = now;
    return {};
  }
}

function summary(e: Entry): Record<string, unknown> {
  return {
    name: e.name,
    [`${e.kind}Arn`]: e.arn,
    status: e.status,
    creationDateTime: new Date(e.created),
    lastUpdatedDateTime: new Date(e.updated),
  };
}

function schemaSummary(e: Entry): Record<string, unknown> {
  return {
    name: e.name,
    schemaArn: e.arn,
    creationDateTime: new Date(e.created),
    lastUpdatedDateTime: new Date(e.updated),
  };
}

function versionSummary(e: Entry): Record<string, unknown> {
  return {
    solutionVersionArn: e.arn,
    status: e.status,
    creationDateTime: new Date(e.created),
    lastUpdatedDateTime: new Date(e.updated),
  };
}

function jobSummary(e: Entry): Record<string, unknown> {
  const arnKey = {
    importJob: "datasetImportJobArn",
    exportJob: "datasetExportJobArn",
    batchInferenceJob: "batchInferenceJobArn",
    batchSegmentJob: "batchSegmentJobArn",
  }[e.kind as "importJob"];
  return {
    jobName: e.name,
    [arnKey]: e.arn,
    status: e.status,
    creationDateTime: new Date(e.created),
    lastUpdatedDateTime: new Date(e.updated),
  };
}

/** How the List and Describe APIs show each kind. */
const summaryShapes: Record<FakeKind, (e: Entry) => Record<string, unknown>> = {
  datasetGroup: summary,
  dataset: summary,
  schema: schemaSummary,
  solution: summary,
  solutionVersion: versionSummary,
  campaign: summary,
  recommender: summary,
  filter: summary,
  eventTracker: summary,
  metricAttribution: summary,
  importJob: jobSummary,
  exportJob: jobSummary,
  batchInferenceJob: jobSummary,
  batchSegmentJob: jobSummary,
};
