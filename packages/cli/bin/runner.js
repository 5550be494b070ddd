#!/usr/bin/env node
// Runs the CLI from its TypeScript source (Node 20 cannot strip types itself).
import { register } from "tsx/esm/api";

register();
await import("../src/bin.ts");
