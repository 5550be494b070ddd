import {
  DeleteEventSourceMappingCommand,
  DeleteFunctionCommand,
  DeleteLayerVersionCommand,
  GetFunctionCommand,
  GetFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand,
  InvalidParameterValueException,
  LambdaClient,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListLayerVersionsCommand,
  ListLayersCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  ResourceNotFoundException,
  type EventSourceMappingConfiguration,
} from "@aws-sdk/client-lambda";
import type { ContractFixture, ContractResource } from "@cleanup-runner/plugin-kit/contract";
import { mockClient } from "aws-sdk-client-mock";

/** One function of the fake account. */
interface FakeFunction {
  readonly tags: Record<string, string>;
  /** Published versions ($LATEST is implied). */
  readonly versions: string[];
  /** Alias name -> the version it points at. */
  readonly aliases: Map<string, string>;
  /** Qualifier ("" for the unqualified function) -> function URL. */
  readonly urls: Map<string, string>;
}

/** How the fake account pages and where it is. */
export interface FakeLambdaSettings {
  /**
   * Most items one list call answers. Lambda caps its pages (ListFunctions and
   * ListLayers at 50) and may answer fewer than MaxItems; the fake pages small
   * so that every reader must follow NextMarker.
   */
  readonly pageSize?: number;
  /**
   * Most event source mappings one ListEventSourceMappings call answers
   * (AWS's cap is 100); `pageSize` when not given.
   */
  readonly mappingPageSize?: number;
  /** Region and account of the ARNs (the test context's defaults). */
  readonly region?: string;
  readonly accountId?: string;
}

/** The fixtures of one fake Lambda account, one per resource type. */
export interface FakeLambdaAccount {
  /** Holds the seeded resources as functions. */
  readonly functions: ContractFixture;
  /** Holds the seeded resources as layers. */
  readonly layers: ContractFixture;
}

/** A paging marker: opaque to callers; here the last name or number answered. */
const markerAfter = (last: string) => Buffer.from(last).toString("base64url");
const lastIn = (marker: string) => Buffer.from(marker, "base64url").toString();

/**
 * An in-memory Lambda account on aws-sdk-client-mock, for the contract suites
 * of `lambda.function` and `lambda.layer`, by AWS's rules.
 *
 * Functions: ListFunctions in name order, paged by Marker / NextMarker; tags
 * by the unqualified ARN; every second function has a published version, an
 * alias `live` with a function URL (GetFunctionUrlConfig per qualifier, or
 * ListFunctionUrlConfigs), and its event source mapping bound to the alias ARN (the others have theirs bound to the function ARN);
 * ListEventSourceMappings' FunctionName filter matches the ARN a mapping is
 * bound to exactly; DeleteEventSourceMapping leaves the mapping `Deleting`
 * (Lambda removes it seconds later); DeleteFunction removes versions, aliases and URLs but
 * leaves mappings behind; ResourceNotFoundException for an unknown function.
 *
 * Layers: ListLayers in name order, listing only layers with a version left,
 * with their latest version; ListLayerVersions newest first (an unknown layer
 * lists nothing); DeleteLayerVersion answers 204 even for a version that is
 * already gone. Every layer is seeded with more versions than a page holds.
 */
export function fakeLambdaAccount(settings: FakeLambdaSettings = {}): FakeLambdaAccount {
  const pageSize = settings.pageSize ?? 10;
  const layerVersions = pageSize + 2;
  const prefix = `arn:aws:lambda:${settings.region ?? "us-east-1"}:${settings.accountId ?? "123456789012"}`;
  const functionArn = (name: string) => `${prefix}:function:${name}`;
  const layerArn = (name: string) => `${prefix}:layer:${name}`;
  const mock = mockClient(LambdaClient);
  let functions = new Map<string, FakeFunction>();
  let mappings: EventSourceMappingConfiguration[] = [];
  let layers = new Map<string, number[]>();

  /** One page of `items` (in listing order) after `marker`, keyed by `keyOf`. */
  function page<T>(
    items: T[],
    keyOf: (item: T) => string,
    marker: string | undefined,
    maxItems: number | undefined,
    cap = pageSize,
  ) {
    const at = marker === undefined ? -1 : items.findIndex((item) => keyOf(item) === lastIn(marker));
    if (marker !== undefined && at < 0) {
      throw new InvalidParameterValueException({ message: "Invalid marker", Type: "User", $metadata: {} });
    }
    const start = at + 1;
    const answered = items.slice(start, start + Math.min(maxItems ?? 50, cap));
    const last = answered.at(-1);
    return {
      answered,
      ...(last !== undefined && start + answered.length < items.length ? { NextMarker: markerAfter(keyOf(last)) } : {}),
    };
  }

  /** The function a FunctionName (name, ARN or partial ARN, maybe qualified) names. */
  function resolve(functionName: string | undefined): { name: string; qualifier?: string } {
    const parts = (functionName ?? "").split(":");
    const at = parts.indexOf("function");
    const [name = "", qualifier] = at >= 0 ? parts.slice(at + 1) : parts;
    return { name, ...(qualifier ? { qualifier } : {}) };
  }

  function functionNamed(functionName: string | undefined): FakeFunction & { name: string } {
    const { name } = resolve(functionName);
    const fn = functions.get(name);
    if (!fn) {
      throw new ResourceNotFoundException({
        message: `Function not found: ${functionArn(name)}`,
        Type: "User",
        $metadata: { httpStatusCode: 404 },
      });
    }
    return { ...fn, name };
  }

  function configuration(name: string, version = "$LATEST") {
    return {
      FunctionName: name,
      FunctionArn: version === "$LATEST" ? functionArn(name) : `${functionArn(name)}:${version}`,
      Version: version,
      Runtime: "nodejs20.x" as const,
      PackageType: "Zip" as const,
      CodeSize: 1024,
      LastModified: "2024-05-01T10:00:00.000+0000",
      LoggingConfig: { LogFormat: "Text" as const, LogGroup: `/aws/lambda/${name}` },
    };
  }

  function seedFunctions(resources: readonly ContractResource[]): void {
    functions = new Map();
    mappings = [];
    resources.forEach((r, i) => {
      const withAlias = i % 2 === 1;
      const fn: FakeFunction = {
        tags: r.tags ?? {},
        versions: withAlias ? ["1"] : [],
        aliases: new Map(withAlias ? [["live", "1"]] : []),
        urls: new Map(withAlias ? [["live", `https://${i}.lambda-url.us-east-1.on.aws/`]] : []),
      };
      functions.set(r.name, fn);
      mappings.push({
        UUID: `mapping-${i}`,
        FunctionArn: withAlias ? `${functionArn(r.name)}:live` : functionArn(r.name),
        EventSourceArn: `arn:aws:sqs:us-east-1:123456789012:${r.name}-jobs`,
        State: "Enabled",
      });
    });
  }

  function installFunctions(): void {
    mock.on(ListFunctionsCommand).callsFake((input: { Marker?: string; MaxItems?: number }) => {
      const names = [...functions.keys()].sort();
      const { answered, NextMarker } = page(names, (n) => n, input.Marker, input.MaxItems);
      return { Functions: answered.map((name) => configuration(name)), ...(NextMarker ? { NextMarker } : {}) };
    });
    mock.on(GetFunctionCommand).callsFake((input: { FunctionName?: string }) => {
      const fn = functionNamed(input.FunctionName);
      return { Configuration: configuration(fn.name), Tags: fn.tags };
    });
    mock.on(ListTagsCommand).callsFake((input: { Resource?: string }) => ({
      Tags: functionNamed(input.Resource).tags,
    }));
    mock
      .on(ListVersionsByFunctionCommand)
      .callsFake((input: { FunctionName?: string; Marker?: string; MaxItems?: number }) => {
        const fn = functionNamed(input.FunctionName);
        const all = ["$LATEST", ...fn.versions];
        const { answered, NextMarker } = page(all, (v) => v, input.Marker, input.MaxItems);
        return { Versions: answered.map((v) => configuration(fn.name, v)), ...(NextMarker ? { NextMarker } : {}) };
      });
    mock.on(ListAliasesCommand).callsFake((input: { FunctionName?: string; Marker?: string; MaxItems?: number }) => {
      const fn = functionNamed(input.FunctionName);
      const { answered, NextMarker } = page([...fn.aliases.keys()].sort(), (a) => a, input.Marker, input.MaxItems);
      return {
        Aliases: answered.map((Name) => ({
          Name,
          FunctionVersion: fn.aliases.get(Name),
          AliasArn: `${functionArn(fn.name)}:${Name}`,
        })),
        ...(NextMarker ? { NextMarker } : {}),
      };
    });
    mock.on(GetFunctionUrlConfigCommand).callsFake((input: { FunctionName?: string; Qualifier?: string }) => {
      const fn = functionNamed(input.FunctionName);
      const url = fn.urls.get(input.Qualifier ?? "");
      if (!url) {
        throw new ResourceNotFoundException({
          message: "The resource you requested does not exist.",
          $metadata: { httpStatusCode: 404 },
        });
      }
      return { FunctionUrl: url, FunctionArn: functionArn(fn.name), AuthType: "NONE" };
    });
    mock
      .on(ListFunctionUrlConfigsCommand)
      .callsFake((input: { FunctionName?: string; Marker?: string; MaxItems?: number }) => {
        const fn = functionNamed(input.FunctionName);
        const qualifiers = [...fn.urls.keys()].sort();
        const { answered, NextMarker } = page(qualifiers, (q) => q, input.Marker, input.MaxItems);
        return {
          FunctionUrlConfigs: answered.map((q) => ({
            FunctionUrl: fn.urls.get(q),
            FunctionArn: q ? `${functionArn(fn.name)}:${q}` : functionArn(fn.name),
            AuthType: "NONE",
            CreationTime: "2026-01-01T00:00:00Z",
            LastModifiedTime: "2026-01-01T00:00:00Z",
          })),
          ...(NextMarker ? { NextMarker } : {}),
        };
      });
    mock.on(ListProvisionedConcurrencyConfigsCommand).callsFake((input: { FunctionName?: string }) => {
      functionNamed(input.FunctionName);
      return { ProvisionedConcurrencyConfigs: [] };
    });
    mock
      .on(ListEventSourceMappingsCommand)
      .callsFake((input: { FunctionName?: string; Marker?: string; MaxItems?: number }) => {
        const wanted = input.FunctionName && resolve(input.FunctionName);
        const matching = mappings.filter(
          (m) =>
            !wanted || m.FunctionArn === `${functionArn(wanted.name)}${wanted.qualifier ? `:${wanted.qualifier}` : ""}`,
        );
        const { answered, NextMarker } = page(
          matching,
          (m) => m.UUID ?? "",
          input.Marker,
          input.MaxItems ?? 100,
          settings.mappingPageSize ?? pageSize,
        );
        return { EventSourceMappings: answered, ...(NextMarker ? { NextMarker } : {}) };
      });
    mock.on(DeleteEventSourceMappingCommand).callsFake((input: { UUID?: string }) => {
      const mapping = mappings.find((m) => m.UUID === input.UUID);
      if (!mapping) {
        throw new ResourceNotFoundException({
          message: `The resource you requested does not exist. (Service: Lambda, Status Code: 404)`,
          $metadata: { httpStatusCode: 404 },
        });
      }
      mapping.State = "Deleting";
      return { ...mapping };
    });
    mock.on(DeleteFunctionCommand).callsFake((input: { FunctionName?: string }) => {
      functions.delete(functionNamed(input.FunctionName).name);
      return {};
    });
  }

  function installLayers(): void {
    mock.on(ListLayersCommand).callsFake((input: { Marker?: string; MaxItems?: number }) => {
      const names = [...layers.keys()].filter((n) => (layers.get(n) ?? []).length > 0).sort();
      const { answered, NextMarker } = page(names, (n) => n, input.Marker, input.MaxItems);
      return {
        Layers: answered.map((LayerName) => {
          const Version = Math.max(...(layers.get(LayerName) ?? []));
          return {
            LayerName,
            LayerArn: layerArn(LayerName),
            LatestMatchingVersion: {
              Version,
              LayerVersionArn: `${layerArn(LayerName)}:${Version}`,
              CreatedDate: `2024-05-01T10:${String(Version).padStart(2, "0")}:00.000+0000`,
            },
          };
        }),
        ...(NextMarker ? { NextMarker } : {}),
      };
    });
    mock.on(ListLayerVersionsCommand).callsFake((input: { LayerName?: string; Marker?: string; MaxItems?: number }) => {
      const name = input.LayerName ?? "";
      const newestFirst = [...(layers.get(name) ?? [])].sort((a, b) => b - a);
      const { answered, NextMarker } = page(newestFirst, String, input.Marker, input.MaxItems);
      return {
        LayerVersions: answered.map((Version) => ({ Version, LayerVersionArn: `${layerArn(name)}:${Version}` })),
        ...(NextMarker ? { NextMarker } : {}),
      };
    });
    mock.on(DeleteLayerVersionCommand).callsFake((input: { LayerName?: string; VersionNumber?: number }) => {
      const name = input.LayerName ?? "";
      const left = (layers.get(name) ?? []).filter((v) => v !== input.VersionNumber);
      if (layers.has(name)) layers.set(name, left);
      return {};
    });
  }

  function reset(): void {
    mock.reset();
    functions = new Map();
    mappings = [];
    layers = new Map();
    installFunctions();
    installLayers();
  }

  return {
    functions: {
      seed(resources) {
        reset();
        seedFunctions(resources);
      },
      present: () => [...functions.keys()],
    },
    layers: {
      seed(resources) {
        reset();
        layers = new Map(resources.map((r) => [r.name, Array.from({ length: layerVersions }, (_, v) => v + 1)]));
      },
      // A layer whose versions are all deleted is gone: nothing lists it.
      present: () => [...layers.entries()].filter(([, versions]) => versions.length > 0).map(([name]) => name),
    },
  };
}
