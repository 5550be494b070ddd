// Writes the generated files: docs/resources.md and manifest.schema.json.
import { writeFile } from "node:fs/promises";
import { Registry } from "@cleanup-runner/core";
import { builtinPlugins, builtinSchemaText, renderResourcesDoc } from "@cleanup-runner/cli";

await writeFile(new URL("../docs/resources.md", import.meta.url), renderResourcesDoc(new Registry(builtinPlugins)));
await writeFile(new URL("../manifest.schema.json", import.meta.url), builtinSchemaText());
console.log("wrote docs/resources.md and manifest.schema.json");
