import type { JsonSchema, Operation } from "./operation";

const ROUTE = /add_api_route\("([^"]+)",\s*self\.(\w+),\s*methods=\["(\w+)"\]/g;
const HANDLER = /def (\w+)\(self(?:, \w+: models\.(\w+))?\):/g;

/**
 * The web UI's routes from a copy of modules/api/api.py: each handler's body is the request model its signature
 * names (the txt2img and img2img models are copied), or nothing when it takes none.
 */
export function automatic1111Operations(
  routes: string,
  models: Record<string, JsonSchema>,
  definition: string,
): Operation[] {
  const signatures = new Map([...routes.matchAll(HANDLER)].map(([, handler, model]) => [handler!, model]));
  return [...routes.matchAll(ROUTE)].map(([, path, handler, method]) => {
    if (!signatures.has(handler!)) throw new Error(`${definition}: no signature of ${handler}`);
    const model = signatures.get(handler!);
    if (model && !models[model]) throw new Error(`${definition}: ${model} is not copied`);
    return {
      provider: "automatic1111",
      definition,
      method: method!,
      path: path!,
      ...(model && { body: { mediaType: "application/json", schema: models[model]!, required: true } }),
    };
  });
}

const FIELD = /^ {4}(\w+): ([^=]+?) = (.+)$/;
const NOT_ALLOWED = /^ {4}"(\w+)",?$/;
const EXTRA_FIELD = /\{"key": "(\w+)", "type": ([^,]+), "default"/;

// The processing dataclass each request model is generated from (modules/api/models.py), and its own class.
const PROCESSING_CLASSES = {
  StableDiffusionTxt2ImgProcessingAPI: "StableDiffusionProcessingTxt2Img",
  StableDiffusionImg2ImgProcessingAPI: "StableDiffusionProcessingImg2Img",
} as const;
export type Automatic1111Model = keyof typeof PROCESSING_CLASSES;

/**
 * The body of one of AUTOMATIC1111's generation requests, as modules/api/models.py builds it: every `__init__`
 * parameter of the processing dataclass and its bases (a field with a type and without `init=False`) that
 * API_NOT_ALLOWED does not name, each made Optional, plus the model's additional fields. Pydantic silently ignores
 * a field the model lacks, so the check refuses one. The copy holds the base class and, where we send its fields,
 * the subclass (txt2img's hires-fix fields are left out: we send none).
 */
export function processingBodySchema(
  processing: string,
  apiModels: string,
  model: Automatic1111Model,
  definition: string,
): JsonSchema {
  const notAllowed = new Set(
    section(apiModels, "API_NOT_ALLOWED = [", "]", definition).flatMap(
      (line) => NOT_ALLOWED.exec(line)?.[1] ?? [],
    ),
  );
  const properties: Record<string, JsonSchema> = {};
  const own = PROCESSING_CLASSES[model];
  const lines = [...classBody(processing, "StableDiffusionProcessing"), ...classBody(processing, own)];
  for (const line of lines) {
    const [, name, type, initial] = FIELD.exec(line) ?? [];
    if (!name || !type || initial?.includes("init=False") || notAllowed.has(name)) continue;
    properties[name] = { anyOf: [pythonType(type, definition), { type: "null" }] };
  }
  const generator = section(apiModels, `${model} = PydanticModelGenerator(`, ")", definition);
  for (const line of generator) {
    const [, name, type] = EXTRA_FIELD.exec(line) ?? [];
    if (name && type) properties[name] = pythonType(type, definition);
  }
  if (Object.keys(properties).length === 0) throw new Error(`${definition}: no fields found`);
  return { type: "object", properties, additionalProperties: false };
}

export const txt2imgBodySchema = (processing: string, apiModels: string, definition: string) =>
  processingBodySchema(processing, apiModels, "StableDiffusionTxt2ImgProcessingAPI", definition);

/** The lines of a class of the copy, from its `class` line to the next line that starts a declaration. */
function classBody(source: string, name: string): string[] {
  const lines = source.split("\n");
  const from = lines.findIndex((line) => line.startsWith(`class ${name}(`) || line === `class ${name}:`);
  if (from < 0) return []; // the subclass is not copied: none of its own fields are sent
  const to = lines.findIndex((line, i) => i > from && /^(@|class )/.test(line));
  return lines.slice(from + 1, to < 0 ? undefined : to);
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
      // The model generator sends an image as its base64 string.
      case "Image":
        return { type: "string" };
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
