import { ListTagsForResourceCommand, PersonalizeClient } from "@aws-sdk/client-personalize";
import { classifiedCall, type Found, type ResourceContext } from "@cleanup-runner/plugin-kit";
import { statusNote } from "./status.js";

/** The fields every Personalize list summary has. */
export interface Summary {
  readonly status?: string | undefined;
  readonly creationDateTime?: Date | undefined;
}

/** A Found for a Personalize resource: its ARN is its id; the status is kept for the plan's notes. */
export function toFound(arn: string, name: string, summary: Summary, details: Record<string, unknown> = {}): Found {
  return {
    id: arn,
    name,
    arn,
    ...(summary.creationDateTime ? { createdAt: summary.creationDateTime.toISOString() } : {}),
    details: { ...(summary.status !== undefined ? { status: summary.status } : {}), ...details },
  };
}

/** The status discover saw. */
function listedStatus(found: Found): string | undefined {
  const status = found.details?.status;
  return typeof status === "string" ? status : undefined;
}

/** A describe that only adds what the listed status means (no API call). */
export function withStatusNote(found: Found, notes: string[] = []): Found {
  const note = statusNote(listedStatus(found));
  const all = note === undefined ? notes : [note, ...notes];
  return all.length > 0 ? { ...found, notes: [...(found.notes ?? []), ...all] } : found;
}

/**
 * readTags for the Personalize types AWS can tag (schemas and metric
 * attributions cannot be): ListTagsForResource answers `[{ tagKey, tagValue }]`.
 */
export async function readPersonalizeTags(ctx: ResourceContext, found: Found): Promise<Record<string, string>> {
  const { tags } = await classifiedCall(`ListTagsForResource ${found.name}`, () =>
    ctx.client(PersonalizeClient).send(new ListTagsForResourceCommand({ resourceArn: found.id })),
  );
  const record: Record<string, string> = {};
  for (const { tagKey, tagValue } of tags ?? []) if (tagKey !== undefined) record[tagKey] = tagValue ?? "";
  return record;
}
