import { PassThrough } from "node:stream";
import type { Io } from "../io.js";

/** An Io whose output tests can read; stdin is not a terminal unless asked. */
export function memoryIo(
  env: Record<string, string | undefined> = {},
  tty = false,
): Io & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  return { stdout, stderr, stdin, env: { ...process.env, ...env }, out: () => out, err: () => err };
}
