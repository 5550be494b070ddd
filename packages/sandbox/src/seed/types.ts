import { isNotFound } from "@cleanup-runner/plugin-kit";

/** Where to seed: an emulator endpoint (or a sandbox account) and a region. */
export interface SeedTarget {
  /** The endpoint of the emulator; undefined for a real account (standard credential chain). */
  readonly endpoint?: string;
  /** The region to create resources in. */
  readonly region: string;
}

/** SDK client settings for a seed target (path-style S3 and dummy credentials on an emulator). */
export function clientConfig(target: SeedTarget): Record<string, unknown> {
  return target.endpoint
    ? {
        region: target.region,
        endpoint: target.endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
      }
    : { region: target.region };
}

/** One seeded resource and how to tell whether it still exists. */
export interface SeededResource {
  /** `type name`, e.g. `s3.bucket student-uploads`. */
  readonly description: string;
  /** A fresh read: does it still exist? */
  exists(): Promise<boolean>;
}

/**
 * A seeded resource whose existence is one fresh read: it exists unless the
 * read fails with what plugin-kit classifies as not found (each service names
 * that its own way: NoSuchEntity, ResourceNotFoundException, a 404...).
 */
export function seeded(description: string, read: () => Promise<unknown>): SeededResource {
  return {
    description,
    exists: () =>
      read().then(
        () => true,
        (error: unknown) => {
          if (isNotFound(error)) return false;
          throw error;
        },
      ),
  };
}

/** What a seed function made: what the manifest selects, and decoys it must leave alone. */
export interface SeedResult {
  /** Resources the student-system manifest selects: gone after apply. */
  readonly selected: SeededResource[];
  /** Resources no entry selects: intact after apply. */
  readonly decoys: SeededResource[];
}

/**
 * Checks a seed after an apply, one fresh read each: `left` names the selected
 * resources still there, `lost` the decoys gone; both are empty when the
 * apply deleted what it selected and nothing else.
 */
export async function leftAndLost(seed: SeedResult): Promise<{ left: string[]; lost: string[] }> {
  const left: string[] = [];
  for (const r of seed.selected) if (await r.exists()) left.push(r.description);
  const lost: string[] = [];
  for (const d of seed.decoys) if (!(await d.exists())) lost.push(d.description);
  return { left, lost };
}
