import { mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { KIT_VERSION } from "@cleanup-runner/plugin-kit";
import { UsageError, type Io } from "../io.js";
import { pluginFiles } from "../scaffold/templates.js";

/**
 * `runner plugins new <name>`: writes a plugin package with one working
 * resource type, a fake account and its contract test, into `<dir>/<name>`.
 */
export async function pluginsNewCommand(name: string, options: { dir?: string }, io: Io): Promise<number> {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) {
    throw new UsageError(`"${name}" is not a plugin name: use lower-case letters, digits and dashes, e.g. sqs`);
  }
  const target = resolve(options.dir ?? ".", name);
  const existing = await readdir(target).catch(() => []);
  if (existing.length > 0) throw new UsageError(`${target} exists and is not empty: choose another name or --dir`);
  const files = pluginFiles(name, `^${KIT_VERSION}.0.0 || workspace:*`);
  for (const [path, text] of Object.entries(files)) {
    const file = join(target, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  const shown = relative(process.cwd(), target) || ".";
  io.stdout.write(
    `Created ${shown}/ with ${Object.keys(files).length} files: one resource type (${name}.queue) and its contract test.\n` +
      `Next: cd ${shown} && npm install && npm test, then adapt src/resources/queue.ts to your service\n` +
      `and load it from a manifest with  plugins: [./${shown}/src/index.ts]\n`,
  );
  return 0;
}
