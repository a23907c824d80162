import { JobRequest, MediaType } from "@mcpmediaengine/contract";
import { z } from "zod";

/**
 * Every field of every job request in one object, `type` required: an MCP tool's input schema must be an object,
 * and a loose object (what the REST transport takes) showed hosts only `type`. Built from the contract's job
 * requests, so a field added there appears here. A field the types spell differently (prompt's limits, preset's
 * values) is offered in each spelling (anyOf); the backend parses the whole with JobRequest, which refuses a field
 * the chosen type does not take with 400 `invalid_request`.
 */
export function flatJobRequest() {
  const shapes = JobRequest.options.map((option) => option.shape as Record<string, z.ZodType>);
  const spellings = new Map<string, Map<string, z.ZodType>>();
  const optional = new Set<string>();
  for (const shape of shapes) {
    for (const [name, schema] of Object.entries(shape)) {
      if (name === "type") continue;
      const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
      if (inner !== schema) optional.add(name);
      const key = JSON.stringify(z.toJSONSchema(inner, { io: "input", unrepresentable: "any" }));
      const known = spellings.get(name) ?? new Map<string, z.ZodType>();
      if (!known.has(key)) known.set(key, inner);
      spellings.set(name, known);
    }
  }
  const fields: Record<string, z.ZodType> = {
    type: MediaType.describe(
      "What to make: image, video or audio. The other fields are those of that type's job.",
    ),
  };
  for (const [name, known] of spellings) {
    const variants = [...known.values()];
    const field = variants.length === 1 ? variants[0]! : z.union(variants as [z.ZodType, z.ZodType]);
    const inEvery = shapes.every((shape) => name in shape);
    fields[name] = optional.has(name) || !inEvery ? field.optional() : field;
  }
  return z
    .strictObject(fields)
    .describe(
      "A job request: type, then the fields of that type's generate tool (POST /v1/jobs takes the same).",
    );
}
