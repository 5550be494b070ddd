import { KIT_VERSION, type Plugin, type ResourceType } from "@cleanup-runner/plugin-kit";

/** Every resource type the run knows, by full name, and which plugin brought it. */
export class Registry {
  readonly #types = new Map<string, { resource: ResourceType; plugin: string }>();

  /** Builds a registry; throws on a duplicate type name or an incompatible plugin. */
  constructor(plugins: readonly Plugin[]) {
    for (const plugin of plugins) this.add(plugin);
  }

  /** Adds a plugin's types; throws when one collides with a type already known or has a bad interval. */
  add(plugin: Plugin): void {
    if (plugin.kitVersion !== KIT_VERSION) {
      throw new Error(
        `plugin ${plugin.name} was written for plugin-kit v${plugin.kitVersion}, this runner speaks v${KIT_VERSION}`,
      );
    }
    for (const resource of plugin.resources) {
      const existing = this.#types.get(resource.type);
      if (existing) {
        throw new Error(
          `plugin ${plugin.name} declares ${resource.type}, which plugin ${existing.plugin} already declares`,
        );
      }
      for (const field of ["pollIntervalMs", "deadlineMs"] as const) {
        const ms = resource[field];
        // The executor divides by the poll interval and sleeps for both: 0, a negative or NaN would spin or stall.
        if (ms !== undefined && !(Number.isFinite(ms) && ms > 0)) {
          throw new Error(
            `plugin ${plugin.name}: ${resource.type} ${field} is ${ms}; it must be a number of ms above 0`,
          );
        }
      }
      this.#types.set(resource.type, { resource, plugin: plugin.name });
    }
  }

  /** The type named `service.type`, if any plugin has it. */
  get(type: string): ResourceType | undefined {
    return this.#types.get(type)?.resource;
  }

  /** The plugin that declares `type`. */
  pluginOf(type: string): string | undefined {
    return this.#types.get(type)?.plugin;
  }

  /** Every known type, sorted by name. */
  types(): ResourceType[] {
    return [...this.#types.values()].map((t) => t.resource).sort((a, b) => a.type.localeCompare(b.type));
  }

  /** Every known type name, sorted. */
  names(): string[] {
    return this.types().map((t) => t.type);
  }
}
