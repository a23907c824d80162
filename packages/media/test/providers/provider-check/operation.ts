import type { ProseRule } from "./prose-rules";

export type Provider = "openai" | "fal" | "elevenlabs" | "stability" | "automatic1111";

/** A JSON Schema, as the definitions write it (OpenAPI's dialect included). */
export type JsonSchema = Record<string, unknown>;

/** One request a provider defines, read from its copy under ../definitions. */
export interface Operation {
  provider: Provider;
  /** The copy it comes from, named in every report. */
  definition: string;
  method: string;
  /** The path as the definition writes it, `{name}` standing for one segment. */
  path: string;
  /** Absent: the request carries no body. */
  body?: { mediaType: string; schema: JsonSchema; required: boolean };
  /** Object schemas of the parameters; header names in lower case. */
  pathParameters?: JsonSchema;
  query?: JsonSchema;
  headers?: JsonSchema;
  /** Limits the definition states in words rather than in its schema. */
  rules?: ProseRule[];
}

/**
 * The definition as the checker holds the provider to it: an object may carry only the fields its schema names,
 * since a provider either refuses an unknown field or, worse, silently ignores it. Returns a copy.
 */
export function closed(schema: JsonSchema): JsonSchema {
  const copy: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = VALUES.has(key) ? value : closedValue(value);
  if (copy.properties !== undefined && copy.additionalProperties === undefined)
    copy.additionalProperties = false;
  return copy;
}

// Keywords whose value is data, not a schema.
const VALUES = new Set(["default", "enum", "const", "example", "examples"]);

function closedValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(closedValue);
  if (value !== null && typeof value === "object") return closed(value as JsonSchema);
  return value;
}
