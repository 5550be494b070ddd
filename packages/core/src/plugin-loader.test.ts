import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPluginModules } from "./plugin-loader.js";

// Temporary plugins live inside the repository so that they resolve plugin-kit like a user's would.
const repo = fileURLToPath(new URL("../../../", import.meta.url));
const kit = `import { definePlugin, defineResource } from "@cleanup-runner/plugin-kit";`;
const type = (name: string) =>
  `defineResource({ type: "${name}", description: "t", scope: "regional", async *discover() {}, async delete() {}, async verify() { return "gone"; } })`;

const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(repo, ".scaffold-loader-"));
  made.push(dir);
  await writeFile(join(dir, "m.yaml"), "apiVersion: cleanup-runner/v1\n");
  return dir;
}

describe("loadPluginModules", () => {
  // The runner's bin registers tsx so that TypeScript plugins load; do the same here.
  beforeAll(() => {
    register();
  });

  it("loads a TypeScript and a JavaScript plugin by path, and a package from the manifest's node_modules", async () => {
    const dir = await workspace();
    await writeFile(
      join(dir, "a.ts"),
      `${kit}\nexport default definePlugin({ name: "a", resources: [${type("a.thing")}] });\n`,
    );
    await writeFile(
      join(dir, "b.js"),
      `${kit}\nexport const plugin = definePlugin({ name: "b", resources: [${type("b.thing")}] });\n`,
    );
    const pkg = join(dir, "node_modules", "@acme", "cleanup-plugin-x");
    await mkdir(pkg, { recursive: true });
    await writeFile(
      join(pkg, "package.json"),
      JSON.stringify({ name: "@acme/cleanup-plugin-x", type: "module", exports: "./index.js" }),
    );
    await writeFile(
      join(pkg, "index.js"),
      `${kit}\nexport default definePlugin({ name: "x", resources: [${type("x.thing")}] });\n`,
    );
    const { plugins, problems } = await loadPluginModules(
      [join(dir, "a.ts"), join(dir, "b.js"), "@acme/cleanup-plugin-x"],
      join(dir, "m.yaml"),
    );
    expect(problems).toEqual([]);
    expect(plugins.map((p) => p.resources[0]!.type)).toEqual(["a.thing", "b.thing", "x.thing"]);
  });

  it("names the plugin and says what to do when it is missing, exports no plugin, fails to load, or is for another kit", async () => {
    const dir = await workspace();
    await writeFile(join(dir, "empty.ts"), "export const nothing = 1;\n");
    await writeFile(join(dir, "broken.ts"), "throw new Error('boom at import');\n");
    await writeFile(join(dir, "old.ts"), `export default { name: "old", kitVersion: 0, resources: [] };\n`);
    const { plugins, problems } = await loadPluginModules(
      [
        join(dir, "missing.ts"),
        "@acme/not-installed",
        join(dir, "empty.ts"),
        join(dir, "broken.ts"),
        join(dir, "old.ts"),
      ],
      join(dir, "m.yaml"),
    );
    expect(plugins).toEqual([]);
    const messages = problems.map((p) => `${p.message} | ${p.hint ?? ""}`);
    expect(messages[0]).toMatch(/cannot find plugin ".*missing\.ts" \| a path in plugins: is relative to the manifest/);
    expect(messages[1]).toMatch(/cannot find plugin "@acme\/not-installed".*node_modules/);
    expect(messages[2]).toMatch(/empty\.ts" exports no plugin \| export default definePlugin/);
    expect(messages[3]).toMatch(/broken\.ts" failed to load: boom at import/);
    expect(messages[4]).toMatch(/plugin "old" .* plugin-kit v0; this runner speaks v1/);
  });
});
