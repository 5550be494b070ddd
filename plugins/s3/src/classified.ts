import { classifyAwsError } from "@cleanup-runner/plugin-kit";

/**
 * Runs one SDK call and turns what it throws into a classified error whose
 * message names the call (`DeleteObjects my-bucket: SlowDown: ...`).
 */
export async function classified<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyAwsError(error, what);
  }
}
