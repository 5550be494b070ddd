import { describe, expect, it } from "vitest";
import { oncePerClient } from "./once-per-client.js";

describe("oncePerClient", () => {
  it("reads once per client, shared by concurrent callers; another client reads on its own", async () => {
    const reads: object[] = [];
    const read = oncePerClient(async (client: object) => {
      reads.push(client);
      return reads.length;
    });
    const a = {};
    const b = {};
    expect(await Promise.all([read(a), read(a), read(a)])).toEqual([1, 1, 1]);
    expect(await read(b)).toBe(2);
    expect(await read(a)).toBe(1);
    expect(reads).toEqual([a, b]);
  });

  it("drops a failed read, so the next caller reads again", async () => {
    let calls = 0;
    const read = oncePerClient(async () => {
      calls += 1;
      if (calls === 1) throw new Error("throttled");
      return "listed";
    });
    const client = {};
    await expect(read(client)).rejects.toThrow("throttled");
    await expect(read(client)).resolves.toBe("listed");
    await expect(read(client)).resolves.toBe("listed");
    expect(calls).toBe(2);
  });
});
