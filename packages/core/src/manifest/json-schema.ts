import type { Registry } from "../registry.js";
import { Manifest } from "./schema.js";

/** Drops typebox's symbol keys: what is left is plain JSON Schema. */
function plain(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema)) as unknown;
}

/**
 * The manifest's JSON Schema (draft-07) for editors, with each known type's
 * options: `service` lists the services, each service its types, and each
 * type its own `options`.
 */
export function manifestJsonSchema(registry: Registry): Record<string, unknown> {
  const schema = plain(Manifest) as Record<string, unknown> & {
    properties: { resources: { items: Record<string, unknown> & { properties: Record<string, unknown> } } };
  };
  const entry = schema.properties.resources.items;
  const types = registry.types();
  const services = [...new Set(types.map((t) => t.type.split(".")[0]!))].sort();
  entry.properties.service = { ...(entry.properties.service as object), enum: services };
  entry.allOf = [
    ...services.map((service) => ({
      if: { properties: { service: { const: service } }, required: ["service"] },
      then: {
        properties: {
          type: { enum: types.filter((t) => t.type.startsWith(`${service}.`)).map((t) => t.type.split(".")[1]) },
        },
      },
    })),
    ...types.map((t) => {
      const [service, type] = t.type.split(".");
      const options = t.options ? (plain(t.options) as Record<string, unknown>) : { type: "object", properties: {} };
      return {
        if: { properties: { service: { const: service }, type: { const: type } }, required: ["service", "type"] },
        then: {
          properties: {
            options: { additionalProperties: false, ...options, description: `Options of ${t.type}: ${t.description}` },
          },
        },
      };
    }),
  ];
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "urn:cleanup-runner:manifest:v1",
    title: "cleanup-runner manifest",
    ...schema,
  };
}
