import type { IAMClient } from "@aws-sdk/client-iam";

/**
 * The roles this run deleted, per IAM client (the engine hands every IAM
 * delete of a run the same one). DeleteRole succeeds only once nothing is
 * attached to the role, so a role in this set holds no policy any more: a
 * policy's delete, which runs after every role of the run, need neither
 * detach it nor read who holds it on its account.
 */
const deletedRoles = new WeakMap<IAMClient, Set<string>>();

/** Records that DeleteRole succeeded for `roleName`. */
export function recordRoleDeleted(iam: IAMClient, roleName: string): void {
  let names = deletedRoles.get(iam);
  if (!names) deletedRoles.set(iam, (names = new Set()));
  names.add(roleName);
}

/** Whether this run deleted the role (with this client). */
export function roleDeletedInRun(iam: IAMClient, roleName: string): boolean {
  return deletedRoles.get(iam)?.has(roleName) ?? false;
}
