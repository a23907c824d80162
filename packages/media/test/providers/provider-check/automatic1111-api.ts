import type { JsonSchema, Operation } from "./operation";

const ROUTE = /add_api_route\("([^"]+)",\s*self\.(\w+),\s*methods=\["(\w+)"\]/g;
const HANDLER = /def (\w+)\(self(?:, \w+: models\.(\w+))?\):/g;

/**
 * The web UI's routes from a copy of modules/api/api.py: each handler's body is the request model its signature
 * names (only the txt2img model is copied), or nothing when it takes none.
 */
export function automatic1111Operations(
  routes: string,
  txt2img: JsonSchema,
  definition: string,
): Operation[] {
  const models = new Map([...routes.matchAll(HANDLER)].map(([, handler, model]) => [handler!, model]));
  return [...routes.matchAll(ROUTE)].map(([, path, handler, method]) => {
    if (!models.has(handler!)) throw new Error(`${definition}: no signature of ${handler}`);
    const model = models.get(handler!);
    if (model && model !== "StableDiffusionTxt2ImgProcessingAPI")
      throw new Error(`${definition}: ${model} is not copied`);
    return {
      provider: "automatic1111",
      definition,
      method: method!,
      path: path!,
      ...(model && { body: { mediaType: "application/json", schema: txt2img, required: true } }),
    };
  });
}

const FIELD = /^ {4}(\w+): ([^=]+?) = (.+)$/;
const NOT_ALLOWED = /^ {4}"(\w+)",?$/;
const EXTRA_FIELD = /\{"key": "(\w+)", "type": ([^,]+), "default"/;

/**
 * The body of AUTOMATIC1111's POST /sdapi/v1/txt2img, as modules/api/models.py builds it: every `__init__`
 * parameter of the processing dataclass (a field with a type and without `init=False`) that API_NOT_ALLOWED does not
 * name, each made Optional, plus the model's additional fields. Pydantic silently ignores a field the model lacks, so
 * the check refuses one.
 */
export function txt2imgBodySchema(processing: string, apiModels: string, definition: string): JsonSchema {
  const notAllowed = new Set(
    section(apiModels, "API_NOT_ALLOWED = [", "]", definition).flatMap(
      (line) => NOT_ALLOWED.exec(line)?.[1] ?? [],
    ),
  );
  const properties: Record<string, JsonSchema> = {};
  for (const line of processing.split("\n")) {
    const [, name, type, initial] = FIELD.exec(line) ?? [];
    if (!name || !type || initial?.includes("init=False") || notAllowed.has(name)) continue;
    properties[name] = { anyOf: [pythonType(type, definition), { type: "null" }] };
  }
  const generator = section(
    apiModels,
    "StableDiffusionTxt2ImgProcessingAPI = PydanticModelGenerator(",
    ")",
    definition,
  );
  for (const line of generator) {
    const [, name, type] = EXTRA_FIELD.exec(line) ?? [];
    if (name && type) properties[name] = pythonType(type, definition);
  }
  if (Object.keys(properties).length === 0) throw new Error(`${definition}: no fields found`);
  return { type: "object", properties, additionalProperties: false };
}

function section(source: string, start: string, end: string, definition: string): string[] {
  const lines = source.split("\n");
  const from = lines.findIndex((line) => line.startsWith(start));
  if (from < 0) throw new Error(`${definition}: no line starts with ${start}`);
  const to = lines.findIndex((line, i) => i > from && line.startsWith(end));
  return lines.slice(from + 1, to < 0 ? undefined : to);
}

function pythonType(annotation: string, definition: string): JsonSchema {
  const parts = annotation.split("|").map((part) => part.trim());
  const types = parts.filter((part) => part !== "None").map((part) => part.replace(/\[.*\]$/, ""));
  const schemas = types.map((type): JsonSchema => {
    switch (type) {
      case "str":
        return { type: "string" };
      case "int":
        return { type: "integer" };
      case "float":
        return { type: "number" };
      case "bool":
        return { type: "boolean" };
      case "list":
        return { type: "array" };
      case "dict":
        return { type: "object" };
      case "object":
      case "Any":
        return {};
      default:
        throw new Error(`${definition}: unsupported Python type ${annotation}`);
    }
  });
  const one = schemas.length === 1 ? schemas[0]! : { anyOf: schemas };
  return types.length < parts.length ? { anyOf: [one, { type: "null" }] } : one;
}
