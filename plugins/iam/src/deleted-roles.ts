import type { IAMClient } from "@aws-sdk/client-iam";
import { perClient } from "@cleanup-runner/plugin-kit";

/**
 * The roles this run deleted, per IAM client (the engine hands every IAM
 * delete of a run the same one). DeleteRole succeeds only once nothing is
 * attached to the role, so a role in this set holds no policy any more: a
 * policy's delete, which runs after every role of the run, need neither
 * detach it nor read who holds it on its account.
 */
const deletedRoles = perClient<IAMClient, Set<string>>(() => new Set());

/** Records that DeleteRole succeeded for `roleName`. */
export function recordRoleDeleted(iam: IAMClient, roleName: string): void {
  deletedRoles(iam).add(roleName);
}

/** Whether this run deleted the role (with this client). */
export function roleDeletedInRun(iam: IAMClient, roleName: string): boolean {
  return deletedRoles(iam).has(roleName);
}
