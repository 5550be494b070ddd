import { describe, expect, it } from "vitest";
import { isResourceError } from "./errors.js";
import { isReadOnlyOperation } from "./operations.js";
import { collect, testContext } from "./testing.js";
import type { Found, ResourceType, VerifyResult } from "./types.js";

/** A resource the contract suite asks the fixture to hold. */
export interface ContractResource {
  /** Its name, as discover must yield it in `found.name`. */
  readonly name: string;
  /** Its tags (only when the settings say the type has tags). */
  readonly tags?: Record<string, string>;
}

/**
 * A fake account for one resource type, answering on mocked SDK clients
 * (aws-sdk-client-mock) by AWS's rules for that type.
 */
export interface ContractFixture {
  /** Resets the mocks and installs a fake account holding exactly these resources. */
  seed(resources: readonly ContractResource[]): void | Promise<void>;
  /** Names of the resources the fake still holds (deleting ones included). */
  present(): readonly string[] | Promise<readonly string[]>;
  /** Moves time on for asynchronous deletes (optional: for types whose verify says "deleting"). */
  advance?(): void | Promise<void>;
}

/** How to run the contract suite on one type. */
export interface ContractSettings {
  /** The fake account. */
  readonly fixture: ContractFixture;
  /** How many resources to seed: enough for several pages of the list call (default 25). */
  readonly count?: number;
  /** The name of the i-th resource (default `contract-alpha-i` / `contract-beta-i`, alternating). */
  readonly name?: (i: number) => string;
  /** Whether the type has tags that `discover` or `readTags` returns (default true). */
  readonly tags?: boolean;
  /** The entry's options (the type's defaults apply). */
  readonly options?: Record<string, unknown>;
  /** The region of the context (default us-east-1). */
  readonly region?: string;
}

const defaultName = (i: number) => `contract-${i % 2 === 0 ? "alpha" : "beta"}-${String(i).padStart(3, "0")}`;

/**
 * The contract every resource type must keep, as a vitest suite: discover
 * follows every page and yields what was seeded; hints narrow the listing
 * but never hide a match; planning (discover, readTags, describe) makes only
 * read calls; delete removes the resource and nothing else; verify reports
 * it gone; a second delete is NotFound (deleting is idempotent); and
 * `verifyAll`, where the type has it, answers as `verify` does.
 */
export function testResourceType(type: ResourceType, settings: ContractSettings): void {
  const count = settings.count ?? 25;
  const name = settings.name ?? defaultName;
  const withTags = settings.tags ?? true;
  const resources: ContractResource[] = Array.from({ length: count }, (_, i) => ({
    name: name(i),
    ...(withTags ? { tags: { contract: "yes", index: String(i) } } : {}),
  }));
  const names = resources.map((r) => r.name);
  const context = () =>
    testContext({
      resource: type,
      ...(settings.options ? { options: settings.options } : {}),
      ...(settings.region ? { region: settings.region } : {}),
    });
  const discoverAll = async (ctx: ReturnType<typeof context>, hints = {}) =>
    collect(type.discover(ctx as never, hints));

  describe(`${type.type} keeps the resource contract`, () => {
    it("discover follows every page and yields exactly what exists", async () => {
      await settings.fixture.seed(resources);
      const found = await discoverAll(context());
      expect(found.map((f) => f.name).sort()).toEqual([...names].sort());
      for (const f of found) {
        expect(typeof f.id).toBe("string");
        expect(() => JSON.stringify(f)).not.toThrow();
      }
    });

    it("hints narrow the listing but never hide a resource they match", async () => {
      await settings.fixture.seed(resources);
      const wanted = [names[1]!, names[count - 1]!];
      const byName = await discoverAll(context(), { names: wanted });
      expect(byName.map((f) => f.name)).toEqual(expect.arrayContaining(wanted));
      const prefix = names[0]!.slice(0, Math.max(1, names[0]!.length - 4));
      const byPrefix = await discoverAll(context(), { prefix });
      expect(byPrefix.map((f) => f.name)).toEqual(expect.arrayContaining(names.filter((n) => n.startsWith(prefix))));
    });

    it("planning (discover, readTags, describe) sends only read calls", async () => {
      await settings.fixture.seed(resources);
      const ctx = context();
      for (const found of await discoverAll(ctx)) {
        if (type.readTags) await type.readTags(ctx, found);
        if (type.describe) await type.describe(ctx, found);
      }
      expect(ctx.calls.length).toBeGreaterThan(0);
      expect(ctx.calls.filter((c) => !isReadOnlyOperation(c.split(":")[1]!))).toEqual([]);
      expect(await settings.fixture.present()).toHaveLength(count);
    });

    if (withTags) {
      it("reads the tags the selector matches on", async () => {
        await settings.fixture.seed(resources.slice(0, 3));
        const ctx = context();
        for (const found of await discoverAll(ctx)) {
          const tags = found.tags ?? (await type.readTags?.(ctx, found));
          expect(tags).toMatchObject(resources.find((r) => r.name === found.name)!.tags!);
        }
      });
    }

    it("verify sees it; delete removes it and nothing else; verify says gone; a second delete is NotFound", async () => {
      await settings.fixture.seed(resources.slice(0, 3));
      const ctx = context();
      const all = await discoverAll(ctx);
      let target: Found = all.find((f) => f.name === names[1])!;
      expect(target).toBeDefined();
      if (type.describe) target = await type.describe(ctx, target);
      // A verify that always says "gone" would hide every failed delete.
      expect(await type.verify(ctx, target)).toBe("present");
      const deleted = await type.delete(ctx, target);
      let state: VerifyResult = await type.verify(ctx, target);
      // A delete that says "gone" is not verified by the engine: it must be gone at once.
      if (deleted === "gone") expect(state).toBe("gone");
      for (let i = 0; i < 50 && state === "deleting"; i++) {
        await settings.fixture.advance?.();
        state = await type.verify(ctx, target);
      }
      expect(state).toBe("gone");
      expect([...(await settings.fixture.present())].sort()).toEqual([names[0]!, names[2]!].sort());
      const second = await type.delete(ctx as never, target).then(
        () => "resolved",
        (error: unknown) => (isResourceError(error) ? error.kind : `unclassified: ${String(error)}`),
      );
      expect(["not-found", "resolved"]).toContain(second);
      expect(await type.verify(ctx as never, target)).toBe("gone");
    });

    if (type.verifyAll) {
      it("verifyAll answers as verify does, for each resource in the order given", async () => {
        await settings.fixture.seed(resources.slice(0, 3));
        const ctx = context();
        const all = await discoverAll(ctx);
        const [first, second, third] = names.map((n) => all.find((f) => f.name === n)!);
        await type.delete(ctx, second!);
        for (let i = 0; i < 50 && (await settings.fixture.present()).includes(second!.name); i++) {
          await settings.fixture.advance?.();
        }
        const batch = [third!, second!, first!];
        const one = await Promise.all(batch.map((f) => type.verify(ctx, f)));
        expect(one).toEqual(["present", "gone", "present"]);
        expect(await type.verifyAll!(ctx, batch)).toEqual(one);
        // Read-only, like every read the engine polls with.
        const before = ctx.calls.length;
        await type.verifyAll!(ctx, batch);
        expect(ctx.calls.slice(before).filter((c) => !isReadOnlyOperation(c.split(":")[1]!))).toEqual([]);
      });
    }
  });
}
