import type { Registry } from "@cleanup-runner/core";
import type { ResourceType } from "@cleanup-runner/plugin-kit";

/** What the CLI shows of one option's JSON Schema. */
interface OptionSchema {
  type?: string;
  default?: unknown;
  description?: string;
}

/** A type's options, by name, as `runner plugins` and docs/resources.md show them. */
export function optionSchemas(resource: ResourceType): [string, OptionSchema][] {
  return Object.entries((resource.options?.properties ?? {}) as Record<string, OptionSchema>);
}

/**
 * docs/resources.md, generated from the resource types' own metadata (what
 * they delete with them, what they wait for, their options and paces), so the
 * docs cannot drift from the code. `pnpm run docs` writes it (plain
 * `pnpm docs` is pnpm's own command); a test checks it.
 */
export function renderResourcesDoc(registry: Registry): string {
  const out = [
    "# Resource types",
    "",
    "Generated from the resource types themselves by `pnpm run docs`; do not edit by hand.",
    "In a manifest, `service.type` is written as `service:` and `type:`.",
    "",
  ];
  const services = [...new Set(registry.types().map((t) => t.type.split(".")[0]!))];
  for (const service of services) {
    out.push(`## ${service}`, "");
    for (const t of registry.types().filter((x) => x.type.startsWith(`${service}.`))) {
      out.push(`### \`${t.type}\``, "", t.description, "");
      out.push(`- scope: ${t.scope === "global" ? "global (planned once per account)" : "regional"}`);
      if (t.dependsOn?.length) {
        out.push(
          `- deleted after: ${t.dependsOn.map((d) => (d === "*" ? "every other type in the run" : `\`${d}\``)).join(", ")}`,
        );
      }
      if (t.deletesWith?.length) out.push(`- goes with it: ${t.deletesWith.join("; ")}`);
      for (const b of t.rateBudgets ?? []) {
        out.push(`- paced: \`${b.key}\` at ${b.calls} call(s) per ${b.perMs / 1000} s per ${b.scope}`);
      }
      if (t.deadlineMs) out.push(`- deadline: ${Math.round(t.deadlineMs / 60_000)} min per resource`);
      const props = optionSchemas(t);
      if (props.length) {
        out.push("", "| option | type | default | meaning |", "|---|---|---|---|");
        for (const [name, s] of props) {
          const def = s.default === undefined ? "" : `\`${JSON.stringify(s.default)}\``;
          out.push(
            `| \`${name}\` | ${s.type ?? ""} | ${def} | ${(s.description ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ")} |`,
          );
        }
      }
      out.push("");
    }
  }
  return out.join("\n");
}
