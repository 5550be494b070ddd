/**
 * Selector safety over the whole engine: for random resources (shaped like
 * what the plugins' discovers yield: plain names, paths, `group/name`, ARNs,
 * unicode; tags; creation dates) and random selectors, no resource outside
 * the selection is ever passed to delete, and every selected one is.
 */
import { selects, VirtualClock } from "@cleanup-runner/core";
import { definePlugin, defineResource, NotFoundError, type Found } from "@cleanup-runner/plugin-kit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EngineRun, manifestOf, type Entry } from "./harness.js";

const now = Date.parse("2026-01-01T00:00:00Z");

const nameArb = fc.oneof(
  fc
    .tuple(fc.constantFrom("student-", "k18-", "other-", "Student", ""), fc.stringMatching(/^[a-z0-9-]{1,6}$/))
    .map(([a, b]) => a + b),
  fc.stringMatching(/^[a-z0-9-]{1,6}$/).map((s) => `/aws/lambda/student-${s}`),
  fc.stringMatching(/^[a-z0-9]{1,6}$/).map((s) => `student-group/${s}`),
  fc.stringMatching(/^[a-z0-9]{1,6}$/).map((s) => `arn:aws:sns:us-east-1:123456789012:${s}`),
  fc.string({ minLength: 1, maxLength: 6, unit: "grapheme" }),
);
const foundArb = fc.record({
  name: nameArb,
  tags: fc.option(
    fc.dictionary(fc.constantFrom("workshop", "owner", "constructor"), fc.constantFrom("student-system", "x", "")),
    { nil: undefined },
  ),
  ageDays: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
});
const conditionsArb = fc.record(
  {
    prefix: fc.constantFrom("student-", "/aws/lambda/", "k18-", "arn:", "S"),
    suffix: fc.constantFrom("-a", "1", "x"),
    glob: fc.constantFrom("student-*", "*", "*/?", "/aws/*", "student-group/*"),
    regex: fc.constantFrom("^student", "\\d", "^(k18|other)-", "."),
    tags: fc.constantFrom({ workshop: "student-system" }, { owner: "*" }, { constructor: "*" }),
    olderThan: fc.constantFrom("7d", "30d", "1w2d", "2025-12-25"),
  },
  { requiredKeys: [] },
);
const entryArb: fc.Arbitrary<Entry> = fc
  .record(
    {
      names: fc.array(nameArb, { minLength: 1, maxLength: 3 }),
      match: fc.oneof(conditionsArb, fc.constant({ all: true as const })),
      exclude: conditionsArb,
    },
    { requiredKeys: [] },
  )
  .filter((e) => Boolean(e.names ?? (e.match && Object.keys(e.match).length > 0)))
  .map((e) => ({ type: "fake.thing", ...e }));

describe("selector safety through the engine", () => {
  it("deletes exactly the resources some entry selects, never another", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(foundArb, { selector: (f) => f.name, minLength: 1, maxLength: 25 }),
        fc.array(entryArb, { minLength: 1, maxLength: 3 }),
        async (resources, entries) => {
          const live = new Map<string, Found>(
            resources.map((r, i) => [
              `id-${i}`,
              {
                id: `id-${i}`,
                name: r.name,
                ...(r.tags ? { tags: r.tags } : {}),
                ...(r.ageDays !== undefined ? { createdAt: new Date(now - r.ageDays * 86_400_000).toISOString() } : {}),
              },
            ]),
          );
          const deleted: Found[] = [];
          const thing = defineResource({
            type: "fake.thing",
            description: "a resource of random shape",
            scope: "regional",
            async *discover() {
              for (const f of live.values()) yield { ...f, ...(f.tags ? { tags: { ...f.tags } } : {}) };
            },
            async delete(_ctx, found) {
              deleted.push(found);
              if (!live.delete(found.id)) throw new NotFoundError(found.name);
            },
            async verify(_ctx, found) {
              return live.has(found.id) ? "present" : "gone";
            },
          });
          const clock = new VirtualClock(now);
          const engine = new EngineRun([definePlugin({ name: "fake", resources: [thing] })], clock);
          const manifest = manifestOf(entries);
          const original = [...live.values()];
          const plan = await clock.run(engine.plan(manifest));
          await clock.run(engine.apply(plan));
          const selected = (f: Found) => manifest.entries.some((e) => selects(e, f, now));
          for (const f of deleted) expect(selected(f), `deleted ${JSON.stringify(f)}`).toBe(true);
          for (const f of original) expect(live.has(f.id), JSON.stringify(f)).toBe(!selected(f));
        },
      ),
      { numRuns: 300 },
    );
  });
});
