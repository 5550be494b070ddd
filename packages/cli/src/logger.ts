import pino, { type Logger } from "pino";
import pretty from "pino-pretty";

/** Log settings from the command line. */
export interface LogSettings {
  readonly level: string;
  readonly format: "pretty" | "json";
  /** Also write JSON lines to this file. */
  readonly file?: string;
}

/**
 * Paths pino blanks out wherever they appear: credentials and secrets must
 * never reach a log, whatever object a plugin logs.
 */
export const redactedPaths = [
  "credentials",
  "*.credentials",
  "accessKeyId",
  "*.accessKeyId",
  "secretAccessKey",
  "*.secretAccessKey",
  "sessionToken",
  "*.sessionToken",
  "password",
  "*.password",
  "*.Password",
  "*.SecretString",
  "*.ClientSecret",
  "*.AccessKeyId",
  "*.SecretAccessKey",
  "*.SessionToken",
  "*.Authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  '*.headers["x-amz-security-token"]',
];

/**
 * The run's logger: stderr (pretty for people, JSON for machines), plus an
 * optional JSON file. Destinations are synchronous so a short-lived CLI never
 * loses its last lines.
 */
export function createLogger(settings: LogSettings, stderr: NodeJS.WritableStream = process.stderr): Logger {
  const streams: pino.StreamEntry[] = [
    {
      level: settings.level as pino.Level,
      stream:
        settings.format === "json"
          ? stderr === process.stderr
            ? pino.destination({ dest: 2, sync: true })
            : stderr
          : pretty({
              destination: stderr,
              sync: true,
              colorize: (stderr as { isTTY?: boolean }).isTTY ?? false,
              ignore: "pid,hostname",
            }),
    },
  ];
  if (settings.file) {
    streams.push({
      level: settings.level as pino.Level,
      stream: pino.destination({ dest: settings.file, sync: true, mkdir: true }),
    });
  }
  return pino(
    { level: settings.level, redact: { paths: redactedPaths, censor: "[redacted]" }, base: undefined },
    pino.multistream(streams),
  );
}
