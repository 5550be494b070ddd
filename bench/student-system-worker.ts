/**
 * Runs one size of the student-system scenario in a process of its own (so
 * its peak RSS is its own) and hands the row to the parent:
 * `student-system-worker.ts <copies> <latency ms> <faults or ""> <durations seed or "">`.
 */
import { measureStudentSystem } from "./student-system.js";

const [copies, latency, faults, seed] = process.argv.slice(2);
const send = (message: object) => process.send?.(message, () => process.disconnect());
try {
  send({
    row: await measureStudentSystem(
      Number(copies),
      Number(latency),
      faults || undefined,
      seed ? Number(seed) : undefined,
    ),
  });
} catch (error) {
  process.exitCode = 1;
  send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
