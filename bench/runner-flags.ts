import { readFileSync } from "node:fs";

/**
 * The Node flags the `runner` binary starts with, read from its shebang
 * (`#!/usr/bin/env -S node --optimize-for-size`), so that the bench
 * measures the runner as it ships: a flag added there is measured here.
 */
export function runnerNodeFlags(): string[] {
  const bin = new URL("../packages/cli/bin/runner.js", import.meta.url);
  const shebang = readFileSync(bin, "utf8").split("\n", 1)[0] ?? "";
  const match = /^#!.*?\bnode\b(.*)$/.exec(shebang);
  if (!match) throw new Error(`${bin.pathname}: its first line names no node to run (${shebang})`);
  return match[1]!.trim().split(/\s+/).filter(Boolean);
}
