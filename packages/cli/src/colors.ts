import { createColors } from "picocolors";

/**
 * Colours for people at a terminal only: never in pipes, files or CI logs
 * (picocolors alone turns them on whenever CI is set), and never with NO_COLOR.
 */
export const pc = createColors(
  !("NO_COLOR" in process.env) &&
    ("FORCE_COLOR" in process.env || (Boolean(process.stdout.isTTY) && process.env.TERM !== "dumb")),
);
