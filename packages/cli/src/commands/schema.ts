import { manifestJsonSchema, Registry } from "@cleanup-runner/core";
import { builtinPlugins } from "../builtins.js";
import type { Io } from "../io.js";

/** The manifest JSON Schema (draft-07) with every built-in type's options. */
export function builtinSchemaText(): string {
  return JSON.stringify(manifestJsonSchema(new Registry(builtinPlugins)), null, 2) + "\n";
}

/** `runner schema`: prints the schema for editors. */
export function schemaCommand(io: Io): number {
  io.stdout.write(builtinSchemaText());
  return 0;
}
