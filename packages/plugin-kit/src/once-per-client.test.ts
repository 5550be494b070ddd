import { describe, expect, it } from "vitest";
import { oncePerClient, oncePerClientAndKey } from "./once-per-client.js";

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

describe("oncePerClientAndKey", () => {
  it("reads once per client and key, shared by concurrent callers", async () => {
    const reads: string[] = [];
    const read = oncePerClientAndKey(
      async (_client: object, rule: { bus: string; name: string }) => (
        reads.push(rule.name),
        `targets of ${rule.name}`
      ),
      (rule) => `${rule.bus}/${rule.name}`,
    );
    const a = {};
    const b = {};
    const r1 = { bus: "bus", name: "r1" };
    expect(await Promise.all([read(a, r1), read(a, { ...r1 })])).toEqual(["targets of r1", "targets of r1"]);
    expect(await read(a, { bus: "bus", name: "r2" })).toBe("targets of r2");
    expect(await read(b, r1)).toBe("targets of r1");
    expect(reads).toEqual(["r1", "r2", "r1"]);
  });

  it("drops a failed read of one key, so that the next caller reads it again", async () => {
    let calls = 0;
    const read = oncePerClientAndKey(
      async (_client: object, key: string) => {
        calls += 1;
        if (calls === 1) throw new Error("throttled");
        return key;
      },
      (key) => key,
    );
    const client = {};
    await expect(read(client, "k")).rejects.toThrow("throttled");
    await expect(read(client, "k")).resolves.toBe("k");
    await expect(read(client, "k")).resolves.toBe("k");
    expect(calls).toBe(2);
  });
});
