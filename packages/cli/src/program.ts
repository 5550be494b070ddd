import { Command, Option } from "@commander-js/extra-typings";
import { SafetyRefusal } from "@cleanup-runner/core";
import type { Logger } from "pino";
import { pc } from "./colors.js";
import { applyCommand, parseDuration } from "./commands/apply.js";
import { demoCommand } from "./commands/demo.js";
import { planCommand } from "./commands/plan.js";
import { pluginsCommand } from "./commands/plugins.js";
import { pluginsNewCommand } from "./commands/plugins-new.js";
import { schemaCommand } from "./commands/schema.js";
import { validateCommand } from "./commands/validate.js";
import { ExitCode, RefusedError, UsageError, type Io } from "./io.js";
import { createLogger } from "./logger.js";
import { InvalidManifestError } from "./setup.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Adds the options every manifest command shares (they mutate the command). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any command shape
function withManifestOptions<T extends Command<any, any, any>>(command: T): T {
  command
    .option("--var <name=value>", "set a manifest var (repeatable); beats --vars-file and the manifest", collect)
    .option("--vars-file <file>", "a YAML file of name: value vars")
    .option("--region <region>", "a region to clean (repeatable); default: target.regions, then the SDK's", collect)
    .option("--profile <name>", "the AWS profile to use; default: target.profile, then the SDK's chain")
    .option("--skip <type>", "leave this resource type out of the run, e.g. amplify.app (repeatable)", collect);
  return command;
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit
 * code; never throws for bad input, and prints no stack trace for it.
 */
export async function runCli(argv: readonly string[], io: Io, signal: AbortSignal): Promise<number> {
  let code: number = ExitCode.ok;
  let logger: Logger | undefined;
  const program = new Command()
    .name("runner")
    .description(
      "Deletes the cloud resources a YAML manifest selects, in dependency order, and verifies they are gone.\n" +
        "Exit codes: 0 all selected resources gone, 1 some remain or failed, 2 invalid manifest or usage, 3 refused by a safety guard.",
    )
    .addOption(
      new Option("--log-level <level>", "log level")
        .choices(["trace", "debug", "info", "warn", "error", "silent"])
        .default("warn"),
    )
    .addOption(
      new Option("--log-format <format>", "log format on stderr").choices(["pretty", "json"]).default("pretty"),
    )
    .option("--log-file <file>", "also write JSON logs to this file")
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride()
    .showHelpAfterError("(runner --help lists the commands)");

  const log = () => {
    const g = program.opts();
    logger ??= createLogger(
      { level: g.logLevel, format: g.logFormat, ...(g.logFile ? { file: g.logFile } : {}) },
      io.stderr,
    );
    return logger;
  };

  withManifestOptions(
    program
      .command("plan")
      .description("show what apply would delete, read-only: nothing is changed")
      .argument("<manifest>", "the manifest file")
      .option("--out <file>", "freeze the plan as JSON, for apply --plan")
      .addOption(
        new Option("--output <format>", "table for people, json for machines (stdout)")
          .choices(["table", "json"])
          .default("table"),
      )
      .addHelpText("after", "\nExample:\n  runner plan manifests/student-system.yaml --var prefix=k18 --out plan.json"),
  ).action(async (file, options) => {
    code = await planCommand(file, options, io, log());
  });

  withManifestOptions(
    program
      .command("apply")
      .description("delete what the manifest selects, wait for it to go, verify, report")
      .argument("[manifest]", "the manifest file (optional with --plan)")
      .option("-y, --yes", "do not ask for confirmation (for scripts)")
      .option("--plan <file>", "delete exactly this frozen plan (from plan --out), nothing discovered since")
      .option("--report <file>", "write the report as JSON")
      .option("--concurrency <n>", "deletes in flight at once", (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`--concurrency ${v}: expected a whole number >= 1`);
        return n;
      })
      .option("--deadline <duration>", "how long one resource may take, e.g. 20m (default: per type)", parseDuration)
      .addHelpText(
        "after",
        "\nIt asks you to type the account id before deleting; without a terminal it refuses unless --yes.\n" +
          "Ctrl-C stops starting new deletes, lets running ones finish and writes the report; run it again to finish.\n\n" +
          "Examples:\n  runner apply manifests/student-system.yaml --report report.json\n  runner apply --plan plan.json --yes",
      ),
  ).action(async (file, options) => {
    code = await applyCommand(file, options, io, log(), signal);
  });

  withManifestOptions(
    program
      .command("validate")
      .description("check a manifest (schema, vars, types, options) without touching AWS")
      .argument("<manifest>", "the manifest file")
      .option("--print", "print the resolved manifest (extends merged, vars substituted, matrix expanded)")
      .addHelpText("after", "\nExample:\n  runner validate manifests/cohorts/k18.yaml --print"),
  ).action(async (file, options) => {
    code = await validateCommand(file, options, io);
  });

  program
    .command("schema")
    .description("print the manifest JSON Schema (draft-07) for editors")
    .addHelpText(
      "after",
      "\nExample:\n  runner schema > manifest.schema.json\n  # then in a manifest: # yaml-language-server: $schema=../manifest.schema.json",
    )
    .action(() => {
      code = schemaCommand(io);
    });

  const plugins = program
    .command("plugins")
    .description("list every resource type: what it deletes with it, what it waits for, its options")
    .action(() => {
      code = pluginsCommand(io);
    });
  plugins
    .command("new")
    .description("scaffold a plugin package: one working resource type, a fake account and its contract test")
    .argument("<name>", "the plugin's name, e.g. sqs")
    .option("--dir <dir>", "where to create it (default: here)")
    .addHelpText("after", "\nExample:\n  runner plugins new sqs --dir plugins-local")
    .action(async (name, options) => {
      code = await pluginsNewCommand(name, options, io);
    });

  program
    .command("demo")
    .description("run plan and apply on the student-system manifest against a local AWS emulator (no account needed)")
    .addHelpText("after", '\nNeeds moto server: pip install "moto[server]"')
    .action(async () => {
      code = await demoCommand(io, log(), signal);
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    return reportError(error, io, logger);
  }
}

/** Maps an error to its exit code and a message without a stack trace for anything a person caused. */
function reportError(error: unknown, io: Io, logger: Logger | undefined): number {
  const e = error as { code?: string; exitCode?: number };
  if (typeof e.code === "string" && e.code.startsWith("commander.")) {
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help")
      return ExitCode.ok;
    return ExitCode.usage;
  }
  if (error instanceof InvalidManifestError) return ExitCode.usage;
  if (error instanceof UsageError) {
    io.stderr.write(`${pc.red("error")} ${error.message}\n`);
    return ExitCode.usage;
  }
  if (error instanceof RefusedError || error instanceof SafetyRefusal) {
    io.stderr.write(`${pc.red("refused")} ${error.message}\n`);
    return ExitCode.refused;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`${pc.red("error")} ${message}\n`);
  logger?.debug({ err: error }, "failure");
  if (/Could not load credentials|credential/i.test(message)) {
    io.stderr.write(
      "No AWS credentials found: set AWS_PROFILE (or --profile), run aws sso login, or export AWS_ACCESS_KEY_ID.\n",
    );
  }
  return ExitCode.incomplete;
}
