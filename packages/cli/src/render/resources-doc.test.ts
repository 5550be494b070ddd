import { readFile } from "node:fs/promises";
import { Registry } from "@cleanup-runner/core";
import { describe, expect, it } from "vitest";
import { builtinPlugins } from "../builtins.js";
import { renderResourcesDoc } from "./resources-doc.js";

describe("docs/resources.md", () => {
  it("is the one generated from the built-in types (run pnpm docs after changing a type)", async () => {
    const committed = await readFile(new URL("../../../../docs/resources.md", import.meta.url), "utf8");
    expect(committed).toBe(renderResourcesDoc(new Registry(builtinPlugins)));
  });

  it("documents every built-in type and every option", () => {
    const registry = new Registry(builtinPlugins);
    const doc = renderResourcesDoc(registry);
    for (const t of registry.types()) {
      expect(doc).toContain(`\`${t.type}\``);
      for (const option of Object.keys(t.options?.properties ?? {})) expect(doc).toContain(`\`${option}\``);
    }
  });
});
