// The SDK warns that its releases from 2027 on will need Node 22; the versions this runner pins run on 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { processIo } from "./io.js";
import { runCli } from "./program.js";

// First Ctrl-C: stop starting deletes, let running ones finish, write the report.
// Second Ctrl-C: quit at once.
const controller = new AbortController();
process.on("SIGINT", () => {
  if (controller.signal.aborted) process.exit(130);
  process.stderr.write(
    "\nStopping: no new deletes start; running ones finish and the report is written. Ctrl-C again to quit now.\n",
  );
  controller.abort();
});

const code = await runCli(process.argv.slice(2), processIo, controller.signal);
process.exitCode = controller.signal.aborted && code === 0 ? 1 : code;
