import { fileURLToPath } from "node:url";
import { leftAndLost, MotoMissingError, seedStudentSystem, startMoto, type Moto } from "@cleanup-runner/sandbox";
import type { Logger } from "pino";
import { pc } from "../colors.js";
import { ExitCode, type Io } from "../io.js";
import { applyCommand } from "./apply.js";
import { planCommand } from "./plan.js";

/** The manifest the demo applies: the one shipped for the workshop. */
export const studentSystemManifest = fileURLToPath(
  new URL("../../../../manifests/student-system.yaml", import.meta.url),
);

/**
 * `runner demo`: the whole job with no AWS account. Starts moto server on a
 * free loopback port, seeds a student-system footprint and decoys, runs plan
 * and apply --yes on the shipped manifest, shows that every selected resource
 * is gone and every decoy is intact, and stops the emulator.
 */
export async function demoCommand(io: Io, logger: Logger, signal: AbortSignal): Promise<number> {
  let moto: Moto;
  try {
    io.stderr.write("Starting a local AWS emulator (moto server)...\n");
    moto = await startMoto();
  } catch (error) {
    if (error instanceof MotoMissingError) {
      io.stderr.write(`${pc.red("error")} ${error.message}\n`);
      return ExitCode.usage;
    }
    throw error;
  }
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
  });
  delete process.env.AWS_PROFILE;
  const env = { ...io.env, ...process.env };
  const demoIo: Io = { ...io, env };
  try {
    io.stderr.write(`Emulator at ${moto.endpoint}. Seeding a student-system footprint and some decoys...\n`);
    const seeded = await seedStudentSystem({ endpoint: moto.endpoint, region: "us-east-1" }, "student");
    io.stderr.write(`Seeded ${seeded.selected.length} workshop resources and ${seeded.decoys.length} decoys.\n\n`);
    // moto emulates every service of the workshop but Amplify and Personalize (beyond schemas).
    const skip = ["amplify.app", "personalize.dataset-group"];
    const skipFlags = skip.map((t) => `--skip ${t}`).join(" ");
    io.stdout.write(pc.bold(`$ runner plan manifests/student-system.yaml ${skipFlags}\n`));
    await planCommand(studentSystemManifest, { skip }, demoIo, logger);
    io.stdout.write(pc.bold(`\n$ runner apply manifests/student-system.yaml ${skipFlags} --yes\n`));
    const applied = await applyCommand(studentSystemManifest, { yes: true, skip }, demoIo, logger, signal);

    const { left, lost } = await leftAndLost(seeded);
    io.stdout.write("\n" + pc.bold("What the emulator holds now:\n"));
    io.stdout.write(
      `  ${left.length === 0 ? pc.green("✓") : pc.red("✗")} workshop resources gone: ${seeded.selected.length - left.length}/${seeded.selected.length}${left.length ? ` (left: ${left.join(", ")})` : ""}\n`,
    );
    io.stdout.write(
      `  ${lost.length === 0 ? pc.green("✓") : pc.red("✗")} decoys intact: ${seeded.decoys.length - lost.length}/${seeded.decoys.length}${lost.length ? ` (lost: ${lost.join(", ")})` : ""}\n`,
    );
    for (const d of seeded.decoys) io.stdout.write(`      ${pc.dim(d.description)}\n`);
    return applied === 0 && left.length === 0 && lost.length === 0 ? ExitCode.ok : ExitCode.incomplete;
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await moto.stop();
    io.stderr.write("Emulator stopped.\n");
  }
}
