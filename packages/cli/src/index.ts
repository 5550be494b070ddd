export { runCli } from "./program.js";
export { processIo, ExitCode, type Io } from "./io.js";
export { builtinPlugins } from "./builtins.js";
export { builtinSchemaText } from "./commands/schema.js";
export { renderResourcesDoc } from "./render/resources-doc.js";
