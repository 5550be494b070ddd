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

/** What a seed function made: what the manifest selects, and decoys it must leave alone. */
export interface SeedResult {
  /** Resources the student-system manifest selects: gone after apply. */
  readonly selected: SeededResource[];
  /** Resources no entry selects: intact after apply. */
  readonly decoys: SeededResource[];
}
