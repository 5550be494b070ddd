/** Where the CLI talks to a person: injectable so tests can read what it said. */
export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The process's own terminal. */
export const processIo: Io = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
};

/** Exit codes, as docs/safety.md lists them. */
export const ExitCode = {
  /** Every selected resource is gone. */
  ok: 0,
  /** Some remain or failed. */
  incomplete: 1,
  /** Invalid manifest or usage. */
  usage: 2,
  /** Refused by a safety guard. */
  refused: 3,
} as const;

/** A mistake on the command line: reported without a stack, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A refusal to go on: reported without a stack, exit code 3. */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefusedError";
  }
}
