import type { TProperties } from "@sinclair/typebox";
import type { Plugin, ResourceType } from "./types.js";

/** The plugin-kit major version; the engine refuses plugins written for another. */
export const KIT_VERSION = 1;

/**
 * Declares one resource type. Only checks and returns it: the value of this
 * wrapper is the type inference on `options`, which types `ctx.options`.
 */
export function defineResource<O extends TProperties>(resource: ResourceType<O>): ResourceType<O> {
  if (!/^[a-z0-9-]+\.[a-z0-9-]+$/.test(resource.type)) {
    throw new Error(`resource type "${resource.type}" must be "service.type" in lower-case kebab case`);
  }
  return resource;
}

/** Declares a plugin: a name and its resource types. */
export function definePlugin(plugin: {
  /** The plugin's name, e.g. `eventbridge`. */
  name: string;
  /** Its resource types, each made with `defineResource`. */
  resources: readonly ResourceType<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- each type has its own options
}): Plugin {
  const seen = new Set<string>();
  for (const r of plugin.resources) {
    if (seen.has(r.type)) throw new Error(`plugin ${plugin.name} declares ${r.type} twice`);
    seen.add(r.type);
  }
  return { name: plugin.name, kitVersion: KIT_VERSION, resources: plugin.resources as readonly ResourceType[] };
}
