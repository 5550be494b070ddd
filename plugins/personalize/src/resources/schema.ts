import { DeleteSchemaCommand, DescribeSchemaCommand, PersonalizeClient } from "@aws-sdk/client-personalize";
import { DependencyPendingError, classifyAwsError, defineResource, readOrUndefined } from "@cleanup-runner/plugin-kit";
import { planningDatasetIndex, planningSchemas } from "../dataset-index.js";
import { toFound } from "../found.js";
import { isDeleting } from "../status.js";

/**
 * A dataset schema. Schemas are account-wide, cost nothing, and have no
 * status: DeleteSchema is immediate, and AWS refuses it while any dataset
 * references the schema. Planned with a dataset group (option
 * `deleteSchemas`) only when no other dataset uses it; selected on its own,
 * its delete waits (DependencyPending) for the datasets of the plan that
 * still use it, and the plan names them.
 */
export const schema = defineResource({
  type: "personalize.schema",
  description: "Amazon Personalize dataset schema (account-wide, free); deleted once no dataset uses it.",
  scope: "regional",
  dependsOn: ["personalize.dataset"],
  pollIntervalMs: 5_000,
  deadlineMs: 10 * 60_000,

  async *discover(ctx) {
    // The run's one listing of the region's schemas, which the dataset groups' plans name schemas from.
    for (const s of await planningSchemas(ctx.client(PersonalizeClient))) {
      if (!s.schemaArn || !s.name) continue;
      // Personalize cannot tag schemas: a tag selector matches none, without a ListTagsForResource each.
      yield { ...toFound(s.schemaArn, s.name, s, s.domain ? { domain: s.domain } : {}), tags: {} };
    }
  },

  async describe(ctx, found) {
    const { uses } = await planningDatasetIndex(ctx.client(PersonalizeClient));
    const users = uses.filter((u) => u.schemaArn === found.id && !isDeleting(u.status));
    if (users.length === 0) return found;
    const list = users.map((u) => `${u.dataset.qualifiedName} (${u.status})`).join(", ");
    return {
      ...found,
      notes: [
        ...(found.notes ?? []),
        `used by dataset ${list}: deleted once they are gone; if they are not in the plan it stays`,
      ],
    };
  },

  async delete(ctx, found) {
    try {
      await ctx.client(PersonalizeClient).send(new DeleteSchemaCommand({ schemaArn: found.id }));
    } catch (error) {
      if ((error as { name?: string }).name === "ResourceInUseException") {
        const reason = "a dataset still uses it";
        ctx.progress(reason);
        throw new DependencyPendingError(`DeleteSchema ${found.name}: ${reason}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      throw classifyAwsError(error, `DeleteSchema ${found.name}`);
    }
  },

  async verify(ctx, found) {
    const described = await readOrUndefined(() =>
      ctx.client(PersonalizeClient).send(new DescribeSchemaCommand({ schemaArn: found.id })),
    );
    return described === undefined ? "gone" : "present";
  },
});
