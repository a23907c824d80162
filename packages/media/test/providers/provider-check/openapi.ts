import { closed, type JsonSchema, type Operation, type Provider } from "./operation";
import type { ProseRule } from "./prose-rules";

export interface OpenApiDocument {
  servers?: { url: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface OpenApiOperation {
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
}

/**
 * Every operation of an OpenAPI document, its `$ref`s resolved in place. The server's path (OpenAI's `/v1`) is
 * part of each operation's path, as the adapters send it. `rules` are keyed "METHOD /path".
 */
export function openApiOperations(
  doc: OpenApiDocument,
  definition: string,
  provider: Provider,
  rules: Record<string, ProseRule[]> = {},
): Operation[] {
  const prefix = doc.servers?.[0] ? new URL(doc.servers[0].url).pathname.replace(/\/+$/, "") : "";
  const resolve = resolver(doc, definition);
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const path = prefix + template;
      const METHOD = method.toUpperCase();
      const [mediaType, content] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
      operations.push({
        provider,
        definition,
        method: METHOD,
        path,
        ...(mediaType &&
          content && {
            body: {
              mediaType,
              schema: closed(resolve(content.schema)),
              required: operation.requestBody?.required ?? false,
            },
          }),
        pathParameters: parameters(operation, "path", resolve),
        query: parameters(operation, "query", resolve),
        headers: parameters(operation, "header", resolve),
        rules: rules[`${METHOD} ${path}`] ?? [],
      });
    }
  }
  return operations;
}

function parameters(
  operation: OpenApiOperation,
  location: string,
  resolve: (schema: JsonSchema) => JsonSchema,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in !== location) continue;
    const name = location === "header" ? parameter.name.toLowerCase() : parameter.name;
    properties[name] = resolve(parameter.schema ?? {});
    if (parameter.required) required.push(name);
  }
  // Clients add headers of their own: only the query and the path are held to the names defined.
  return { type: "object", properties, required, additionalProperties: location === "header" };
}

/** OpenAPI's `nullable: true` (which OpenAI's definition uses beside anyOf, without a type) as JSON Schema. */
function nullable(schema: JsonSchema): JsonSchema {
  if (schema.nullable !== true) return schema;
  const { nullable: _, description, ...rest } = schema;
  return { ...(description !== undefined && { description }), anyOf: [rest, { type: "null" }] };
}

/** Inlines `#/components/schemas/…` references; a sibling of `$ref` (a description, say) is kept. */
function resolver(doc: OpenApiDocument, definition: string) {
  const resolve = (value: unknown, seen: string[]): unknown => {
    if (Array.isArray(value)) return value.map((item) => resolve(item, seen));
    if (value === null || typeof value !== "object") return value;
    const { $ref, ...rest } = value as JsonSchema;
    const own: JsonSchema = {};
    for (const [key, item] of Object.entries(rest)) own[key] = resolve(item, seen);
    if (typeof $ref !== "string") return nullable(own);
    const name = $ref.replace("#/components/schemas/", "");
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`${definition}: ${$ref} is not in the copy`);
    if (seen.includes(name)) throw new Error(`${definition}: ${$ref} refers to itself`);
    return nullable({ ...(resolve(target, [...seen, name]) as JsonSchema), ...own });
  };
  return (schema: JsonSchema) => resolve(schema, []) as JsonSchema;
}
