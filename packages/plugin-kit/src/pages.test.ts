import { describe, expect, it, vi } from "vitest";
import { pages, tagRecord } from "./pages.js";
import { collect } from "./testing.js";

describe("pages", () => {
  it("follows string tokens to the last page, one fetch per page, in order", async () => {
    const book: Record<string, { items: number[]; next?: string }> = {
      first: { items: [1, 2], next: "t2" },
      t2: { items: [3], next: "t3" },
      t3: { items: [4, 5] },
    };
    const fetchPage = vi.fn(async (token: string | undefined) => book[token ?? "first"]!);
    const all = await collect(pages(fetchPage, (p) => p.next));
    expect(all.map((p) => p.items)).toEqual([[1, 2], [3], [4, 5]]);
    expect(fetchPage.mock.calls.map(([t]) => t)).toEqual([undefined, "t2", "t3"]);
  });

  it("a single page", async () => {
    const fetchPage = vi.fn(async () => ({ items: [1] }));
    expect(await collect(pages(fetchPage, () => undefined))).toEqual([{ items: [1] }]);
    expect(fetchPage).toHaveBeenCalledTimes(1);
  });

  it("object tokens (several markers)", async () => {
    type Token = { key: string; version: string };
    const seen: (Token | undefined)[] = [];
    const all = await collect(
      pages<{ n: number; next?: Token }, Token>(
        async (token) => {
          seen.push(token);
          if (!token) return { n: 1, next: { key: "a", version: "1" } };
          if (token.version === "1") return { n: 2, next: { key: "a", version: "2" } };
          return { n: 3 };
        },
        (page) => page.next,
      ),
    );
    expect(all.map((p) => p.n)).toEqual([1, 2, 3]);
    expect(seen).toEqual([undefined, { key: "a", version: "1" }, { key: "a", version: "2" }]);
  });

  it.each([
    ["an empty string", ""],
    ["null", null],
  ])("%s as the next token ends the listing", async (_, last) => {
    const fetchPage = vi.fn(async (token: string | null | undefined) => ({ n: token ? 2 : 1 }));
    const all = await collect(pages(fetchPage, (p) => (p.n === 1 ? "t2" : last)));
    expect(all).toEqual([{ n: 1 }, { n: 2 }]);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it("a token handed back twice is an error, not an endless loop", async () => {
    let calls = 0;
    const looping = pages(
      async (token: string | undefined) => {
        calls++;
        return { next: token === undefined ? "a" : token === "a" ? "b" : "a" };
      },
      (p) => p.next,
    );
    await expect(collect(looping)).rejects.toThrow(/page token "a" twice/);
    expect(calls).toBe(3);
  });

  it("an equal object token is a repeat too", async () => {
    const looping = pages(
      async () => ({ next: { a: 1 } }),
      (p) => p.next,
    );
    await expect(collect(looping)).rejects.toThrow(/twice/);
  });

  it("pages lazily: stopping early fetches no more", async () => {
    const fetchPage = vi.fn(async (token: number | undefined) => ({ n: token ?? 0 }));
    for await (const page of pages(fetchPage, (p) => p.n + 1)) {
      if (page.n === 2) break;
    }
    expect(fetchPage).toHaveBeenCalledTimes(3);
  });
});

describe("tagRecord", () => {
  it("turns [{Key, Value}] into a record", () => {
    expect(
      tagRecord([
        { Key: "a", Value: "1" },
        { Key: "b", Value: undefined },
        { Key: undefined, Value: "lost" },
      ]),
    ).toEqual({ a: "1", b: "" });
  });

  it("undefined or empty -> {}", () => {
    expect(tagRecord(undefined)).toEqual({});
    expect(tagRecord([])).toEqual({});
  });
});
