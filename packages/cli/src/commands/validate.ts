import { stringify } from "yaml";
import type { Io } from "../io.js";
import { loadForRun, type ManifestOptions } from "../setup.js";

/** `runner validate`: checks a manifest without touching AWS; `--print` shows it resolved. */
export async function validateCommand(
  file: string,
  options: ManifestOptions & { print?: boolean },
  io: Io,
): Promise<number> {
  const { manifest } = await loadForRun(file, options, io);
  if (options.print) io.stdout.write(stringify(manifest.document));
  else
    io.stdout.write(
      `${file}: valid, ${manifest.entries.length} entries (${[...new Set(manifest.entries.map((e) => e.type))].join(", ")})\n`,
    );
  return 0;
}
