import { Registry } from "@cleanup-runner/core";
import type { ResourceType } from "@cleanup-runner/plugin-kit";
import { pc } from "../colors.js";
import { builtinPlugins } from "../builtins.js";
import type { Io } from "../io.js";
import { optionSchemas } from "../render/resources-doc.js";

/** One type, as `runner plugins` and docs/resources.md show it. */
export function describeType(resource: ResourceType, plugin: string): string[] {
  const lines = [`${pc.bold(resource.type)}  (${resource.scope}, plugin ${plugin})`, `  ${resource.description}`];
  if (resource.dependsOn?.length) lines.push(`  deleted after: ${resource.dependsOn.join(", ")}`);
  if (resource.deletesWith?.length) lines.push(`  goes with it: ${resource.deletesWith.join(", ")}`);
  for (const b of resource.rateBudgets ?? []) {
    lines.push(`  paced: ${b.key} ${b.calls} per ${b.perMs / 1000}s per ${b.scope}`);
  }
  for (const [name, schema] of optionSchemas(resource)) {
    const def = schema.default !== undefined ? ` = ${JSON.stringify(schema.default)}` : "";
    lines.push(`  option ${name}: ${schema.type ?? "value"}${def}  ${schema.description ?? ""}`);
  }
  return lines;
}

/** `runner plugins`: every resource type, what it depends on, and its options. */
export function pluginsCommand(io: Io): number {
  const registry = new Registry(builtinPlugins);
  const out: string[] = [];
  for (const resource of registry.types()) out.push(...describeType(resource, registry.pluginOf(resource.type)!), "");
  io.stdout.write(out.join("\n"));
  return 0;
}
