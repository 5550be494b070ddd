import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../bin/runner.js", import.meta.url));

describe("the runner binary", () => {
  it("runs from its shebang, which starts Node with --optimize-for-size (what the bench measures)", async () => {
    const shebang = (await readFile(bin, "utf8")).split("\n", 1)[0];
    expect(shebang).toBe("#!/usr/bin/env -S node --optimize-for-size");
    // Executed as a program, as the bin shims and a shell run it: the shebang must work as written.
    const { stdout } = await promisify(execFile)(bin, ["--help"], { env: { ...process.env, NO_COLOR: "1" } });
    expect(stdout).toContain("Usage: runner");
    expect(stdout).toContain("apply");
  }, 30_000);
});
