import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, resolve, dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { KIT_VERSION, type Plugin } from "@cleanup-runner/plugin-kit";
import type { Problem } from "./manifest/problems.js";

function isPlugin(value: unknown): value is Plugin {
  const p = value as Partial<Plugin> | undefined;
  return typeof p?.name === "string" && Array.isArray(p.resources) && typeof p.kitVersion === "number";
}

/**
 * Imports the plugins a manifest names: a path (absolute once the manifest
 * is read; .ts or .js) or a package name resolved from the manifest's folder.
 * Each problem names the plugin and says what to do.
 */
export async function loadPluginModules(
  specs: readonly string[],
  manifestFile: string,
): Promise<{ plugins: Plugin[]; problems: Problem[] }> {
  const plugins: Plugin[] = [];
  const problems: Problem[] = [];
  for (const spec of specs) {
    const path = `plugins: ${spec}`;
    let url: string;
    if (isAbsolute(spec) && !existsSync(spec)) {
      problems.push({
        path,
        message: `cannot find plugin "${spec}"`,
        hint: "a path in plugins: is relative to the manifest that names it",
      });
      continue;
    }
    try {
      url = isAbsolute(spec)
        ? pathToFileURL(spec).href
        : pathToFileURL(createRequire(resolve(dirname(manifestFile), "manifest.yaml")).resolve(spec)).href;
    } catch {
      problems.push({
        path,
        message: `cannot find plugin "${spec}"`,
        hint: "a path is relative to the manifest; a package must be installed in the manifest's folder's node_modules",
      });
      continue;
    }
    let module: { default?: unknown; plugin?: unknown };
    try {
      module = (await import(url)) as typeof module;
    } catch (error) {
      problems.push({ path, message: `plugin "${spec}" failed to load: ${(error as Error).message}` });
      continue;
    }
    const plugin = [module.default, module.plugin].find(isPlugin);
    if (!plugin) {
      problems.push({
        path,
        message: `"${spec}" exports no plugin`,
        hint: "export default definePlugin({ name, resources }) from @cleanup-runner/plugin-kit",
      });
      continue;
    }
    if (plugin.kitVersion !== KIT_VERSION) {
      problems.push({
        path,
        message: `plugin "${plugin.name}" (${spec}) was written for plugin-kit v${plugin.kitVersion}; this runner speaks v${KIT_VERSION}`,
        hint: "rebuild the plugin against the plugin-kit this runner ships",
      });
      continue;
    }
    plugins.push(plugin);
  }
  return { plugins, problems };
}
