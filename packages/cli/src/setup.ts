import {
  AwsSession,
  defaultRegion,
  formatProblem,
  loadManifest,
  loadPluginModules,
  Registry,
  type Problem,
  type ResolvedManifest,
} from "@cleanup-runner/core";
import type { Logger } from "pino";
import { pc } from "./colors.js";
import { builtinPlugins } from "./builtins.js";
import { UsageError, type Io } from "./io.js";

/** Options every manifest command shares. */
export interface ManifestOptions {
  var?: string[];
  varsFile?: string;
  region?: string[];
  profile?: string;
  /** Resource types to leave out of this run (`--skip amplify.app`). */
  skip?: string[];
}

/** `--var a=b --var c=d` -> `{ a: "b", c: "d" }`. */
export function parseVarFlags(flags: readonly string[] = []): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    if (eq <= 0) throw new UsageError(`--var ${flag}: expected name=value`);
    vars[flag.slice(0, eq)] = flag.slice(eq + 1);
  }
  return vars;
}

/** Thrown when the manifest has problems; each is already printed. */
export class InvalidManifestError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(`${problems.length} problem${problems.length === 1 ? "" : "s"} in the manifest`);
    this.name = "InvalidManifestError";
  }
}

/** Prints problems, one per line, for people. */
export function printProblems(io: Io, problems: readonly Problem[]): void {
  for (const p of problems) io.stderr.write(`${pc.red("error")} ${formatProblem(p)}\n`);
  io.stderr.write(`${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was changed.\n`);
}

/** Built-in plugins plus the manifest's own; problems when one cannot be used. */
export async function registryFor(
  specs: readonly string[],
  manifestFile: string,
): Promise<{ registry: Registry } | { problems: Problem[] }> {
  const { plugins, problems } = await loadPluginModules(specs, manifestFile);
  if (problems.length) return { problems };
  const registry = new Registry(builtinPlugins);
  for (const plugin of plugins) {
    try {
      registry.add(plugin);
    } catch (error) {
      problems.push({ path: "plugins", message: (error as Error).message });
    }
  }
  return problems.length ? { problems } : { registry };
}

/** Loads and validates a manifest with its plugins, or throws InvalidManifestError after printing why. */
export async function loadForRun(
  file: string,
  options: ManifestOptions,
  io: Io,
): Promise<{ manifest: ResolvedManifest; registry: Registry }> {
  let registry: Registry | undefined;
  const result = await loadManifest(file, {
    vars: parseVarFlags(options.var),
    ...(options.varsFile ? { varsFile: options.varsFile } : {}),
    env: io.env,
    registryFor: async (specs, manifestFile) => {
      const loaded = await registryFor(specs, manifestFile);
      if ("registry" in loaded) registry = loaded.registry;
      return loaded;
    },
  });
  if (!result.ok) {
    printProblems(io, result.problems);
    throw new InvalidManifestError(result.problems);
  }
  const skip = options.skip ?? [];
  const unknown = skip.filter((type) => !registry!.get(type));
  if (unknown.length) throw new UsageError(`--skip ${unknown.join(", ")}: unknown type; runner plugins lists them`);
  const manifest = { ...result.manifest, entries: result.manifest.entries.filter((e) => !skip.includes(e.type)) };
  return { manifest, registry: registry! };
}

/** The AWS session of a run, with its home region and target regions. */
export async function openSession(
  manifest: Pick<ResolvedManifest, "regions" | "profile"> | undefined,
  options: ManifestOptions,
  readOnly: boolean,
  logger: Logger,
): Promise<{ session: AwsSession; regions: string[] }> {
  const profile = options.profile ?? manifest?.profile;
  const regions = options.region?.length ? options.region : manifest?.regions ? [...manifest.regions] : [];
  const home = regions[0] ?? (await defaultRegion(profile));
  if (!home) {
    throw new UsageError(
      "no AWS region: set target.regions in the manifest, pass --region, or set AWS_REGION (or a region in your profile)",
    );
  }
  logger.debug({ region: home, regions, profile }, "session");
  const session = new AwsSession({ region: home, readOnly, ...(profile ? { profile } : {}) });
  return { session, regions: regions.length ? regions : [home] };
}
