import { Type, type Static } from "@sinclair/typebox";

/**
 * The manifest format, cleanup-runner/v1: one source for the JSON Schema
 * (`runner schema`, editors, ajv) and the TypeScript types (`Static<>`).
 */

const names = Type.Array(Type.String({ minLength: 1 }), {
  minItems: 1,
  description: "Exact names to select.",
});

/** The name, tag and age conditions shared by `match` and `exclude`. */
function conditions() {
  return {
    prefix: Type.Optional(Type.String({ minLength: 1, description: "The name starts with this." })),
    suffix: Type.Optional(Type.String({ minLength: 1, description: "The name ends with this." })),
    glob: Type.Optional(
      Type.String({ minLength: 1, description: "The name matches this glob (`*` any run, `?` one character)." }),
    ),
    regex: Type.Optional(
      Type.String({ minLength: 1, description: "The name matches this regular expression (JavaScript syntax)." }),
    ),
    tags: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description: 'Every tag listed is present with this value ("*" = any value).',
      }),
    ),
    olderThan: Type.Optional(
      Type.String({
        pattern: "^(\\d+[smhdw])+$|^\\d{4}-\\d{2}-\\d{2}",
        description: "Created before this long ago (`7d`, `12h`, `1w2d`) or before this date (`2026-01-31`).",
      }),
    ),
  };
}

export const Match = Type.Object(
  {
    ...conditions(),
    all: Type.Optional(
      Type.Literal(true, {
        description: "Select every resource of the type (with the other conditions, if any). Never implied.",
      }),
    ),
  },
  { additionalProperties: false, description: "Conditions on the resource; all given must hold." },
);

export const Exclude = Type.Object(
  { names: Type.Optional(names), ...conditions() },
  {
    additionalProperties: false,
    description: "Resources to leave alone even when selected: those matching all the conditions given here.",
  },
);

export const Entry = Type.Object(
  {
    service: Type.String({ minLength: 1, description: "The service, e.g. `s3`." }),
    type: Type.String({ minLength: 1, description: "The resource type within the service, e.g. `bucket`." }),
    description: Type.Optional(Type.String({ description: "Why this entry is here, for people." })),
    names: Type.Optional(names),
    match: Type.Optional(Match),
    exclude: Type.Optional(Exclude),
    options: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: "Options of this resource type (`runner plugins`)." }),
    ),
  },
  {
    additionalProperties: false,
    description: "One kind of resource to delete: a service, a type and a selector (`names` and/or `match`).",
  },
);

const varValue = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);

export const Manifest = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    apiVersion: Type.Literal("cleanup-runner/v1", { description: "Always `cleanup-runner/v1`." }),
    name: Type.String({ minLength: 1, description: "A short name for this manifest." }),
    description: Type.Optional(Type.String()),
    extends: Type.Optional(
      Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }))], {
        description: "Base manifest(s) merged under this one: a path relative to this file, or a package path.",
      }),
    ),
    plugins: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: "Extra plugins: a path relative to this file (.ts or .js) or a package name.",
      }),
    ),
    vars: Type.Optional(
      Type.Record(Type.String({ pattern: "^[A-Za-z_][A-Za-z0-9_-]*$" }), varValue, {
        additionalProperties: false,
        description: "Values for `${name}` in any string; `--var name=value` overrides.",
      }),
    ),
    matrix: Type.Optional(
      Type.Record(Type.String({ pattern: "^[A-Za-z_][A-Za-z0-9_-]*$" }), Type.Array(Type.String(), { minItems: 1 }), {
        additionalProperties: false,
        description: "Each entry that uses `${name}` is repeated for every value, e.g. one prefix per student.",
      }),
    ),
    target: Type.Optional(
      Type.Object(
        {
          regions: Type.Optional(
            Type.Array(Type.String({ pattern: "^[a-z]{2}(-[a-z]+)+-\\d$" }), {
              minItems: 1,
              description: "Regions to clean; default: the SDK's region.",
            }),
          ),
          accounts: Type.Optional(
            Type.Array(Type.String({ pattern: "^\\d{12}$" }), {
              minItems: 1,
              description: "Allow-list of account ids: apply refuses any other account.",
            }),
          ),
          profile: Type.Optional(Type.String({ description: "The AWS profile to use; `--profile` overrides." })),
        },
        { additionalProperties: false },
      ),
    ),
    resources: Type.Array(Entry, { description: "What to delete." }),
  },
  { additionalProperties: false, description: "A cleanup-runner manifest." },
);

export type ManifestEntry = Static<typeof Entry>;
export type ManifestMatch = Static<typeof Match>;
export type ManifestExclude = Static<typeof Exclude>;
export type Manifest = Static<typeof Manifest>;
