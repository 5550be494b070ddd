import { seedCognito } from "./cognito.js";
import { seedDynamodb } from "./dynamodb.js";
import { seedEventBridge } from "./eventbridge.js";
import { seedIam } from "./iam.js";
import { seedApigateway } from "./apigateway.js";
import { seedAppsync } from "./appsync.js";
import { seedLambda } from "./lambda.js";
import { seedLogs } from "./logs.js";
import { seedS3 } from "./s3.js";
import { seedSes } from "./ses.js";
import type { SeedResult, SeedTarget } from "./types.js";

/** One service's seed function. */
type Seed = (target: SeedTarget, prefix: string) => Promise<SeedResult>;

/** The seeds of every service moto emulates, in the order they run. */
const seeds: readonly Seed[] = [
  seedS3,
  seedDynamodb,
  seedLambda,
  seedLogs,
  seedApigateway,
  seedAppsync,
  seedCognito,
  seedEventBridge,
  seedSes,
  seedIam,
];

/**
 * Seeds the whole student-system footprint (every service moto emulates) and
 * its decoys: used by `runner demo` and the end-to-end tests.
 */
export async function seedStudentSystem(target: SeedTarget, prefix: string): Promise<SeedResult> {
  const selected: SeedResult["selected"] = [];
  const decoys: SeedResult["decoys"] = [];
  for (const seed of seeds) {
    const result = await seed(target, prefix);
    selected.push(...result.selected);
    decoys.push(...result.decoys);
  }
  return { selected, decoys };
}
