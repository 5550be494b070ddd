import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import {
  AwsSession,
  buildPlan,
  executePlan,
  Registry,
  type Clock,
  type FaultInjector,
  type Plan,
  type ResolvedManifest,
  type ResourceReport,
} from "@cleanup-runner/core";
import type { Plugin, ResourceTypeName } from "@cleanup-runner/plugin-kit";
import { mockClient } from "aws-sdk-client-mock";
import pino from "pino";

/** A manifest entry for an engine test. */
export interface Entry {
  readonly type: ResourceTypeName;
  readonly names?: string[];
  readonly match?: Record<string, unknown>;
  readonly exclude?: Record<string, unknown>;
  readonly options?: Record<string, unknown>;
}

/** A manifest as loadManifest resolves it, from a few entries. */
export function manifestOf(entries: readonly Entry[], name = "test"): ResolvedManifest {
  return {
    file: `${name}.yaml`,
    name,
    plugins: [],
    vars: {},
    entries: entries.map((e, index) => ({ index, ...e, options: e.options ?? {} })),
    document: { apiVersion: "cleanup-runner/v1", name, resources: [] },
  };
}

/** The engine with real plugins on mocked clients: plan, then apply, on the given clock. */
export class EngineRun {
  readonly registry: Registry;
  readonly sts = mockClient(STSClient);
  #sessions: AwsSession[] = [];

  constructor(
    plugins: readonly Plugin[],
    readonly clock: Clock,
    readonly faults?: FaultInjector,
  ) {
    this.registry = new Registry(plugins);
    this.sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/t" });
  }

  session(readOnly: boolean): AwsSession {
    const session = new AwsSession({
      region: "us-east-1",
      readOnly,
      clientConfig: { credentials: { accessKeyId: "t", secretAccessKey: "t" } },
      ...(this.faults ? { faults: this.faults } : {}),
    });
    this.#sessions.push(session);
    return session;
  }

  /** Plans with a read-only session (a mutating call would throw). */
  plan(manifest: ResolvedManifest): Promise<Plan> {
    return buildPlan({
      manifest,
      registry: this.registry,
      session: this.session(true),
      regions: ["us-east-1"],
      logger: pino({ level: "silent" }),
      clock: this.clock,
      signal: new AbortController().signal,
    });
  }

  /** Applies a plan; returns the per-resource reports and the session (for its call log). */
  async apply(
    plan: Plan,
    settings: { signal?: AbortSignal; deadlineMs?: number } = {},
  ): Promise<{ reports: ResourceReport[]; session: AwsSession }> {
    const session = this.session(false);
    const reports = await executePlan({
      plan,
      registry: this.registry,
      session,
      logger: pino({ level: "silent" }),
      clock: this.clock,
      signal: settings.signal ?? new AbortController().signal,
      ...(settings.deadlineMs ? { deadlineMs: settings.deadlineMs } : {}),
    });
    return { reports, session };
  }
}

/** `{ name: outcome }` of a run, for compact assertions. */
export function outcomes(reports: readonly ResourceReport[]): Record<string, string> {
  return Object.fromEntries(reports.map((r) => [`${r.type} ${r.name}`, r.outcome]));
}
