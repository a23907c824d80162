import type { IncomingHttpHeaders } from "node:http";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import type { JsonSchema, Operation } from "./operation";

/** What a fake received. */
export interface SentRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

// Formats (uri, binary) say nothing checkable here. Form fields, query and headers arrive as text: they are read
// as the schema's type, as the provider would; a JSON body is taken as sent.
const options = { strict: false, allErrors: true, validateFormats: false } as const;
const asSent = new Ajv(options);
const asText = new Ajv({ ...options, coerceTypes: true });
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function validator(ajv: Ajv, schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/**
 * Why the request breaks the definition of the operation it is for, one line each; empty when it keeps to it.
 * Where fal is played, a GET to a path no operation names is an output file's download from its CDN, which no
 * definition covers.
 */
export async function checkRequest(operations: Operation[], request: SentRequest): Promise<string[]> {
  const { method, url } = request;
  const onPath = operations.filter((operation) => pathParameters(operation.path, url.pathname));
  const operation = onPath.find((candidate) => candidate.method === method);
  const label = `${method} ${url.pathname}`;
  if (!operation) {
    if (onPath.length > 0)
      return [`${label}: the definitions define ${onPath.map((o) => o.method).join(", ")} here`];
    const download = method === "GET" && request.body.length === 0;
    if (download && operations.some((o) => o.provider === "fal")) return [];
    return [`${label}: no operation in the definitions (${providersOf(operations)}) has this path`];
  }
  const at = `${operation.definition}: ${operation.method} ${operation.path}`;
  const problems: string[] = [];
  const check = (ajv: Ajv, schema: JsonSchema | undefined, data: unknown, where: string) => {
    if (!schema) return;
    const validate = validator(ajv, schema);
    if (!validate(data))
      problems.push(...describe(validate.errors ?? [], data, where).map((p) => `${at} ${p}`));
  };

  check(asText, operation.pathParameters, pathParameters(operation.path, url.pathname), "path");
  check(asText, operation.query, Object.fromEntries(url.searchParams), "query");
  check(asText, operation.headers, { ...request.headers }, "header");

  const body = await readBody(operation, request);
  if (typeof body === "string") problems.push(`${at} ${body}`);
  else if (body) {
    check(
      operation.body?.mediaType === "application/json" ? asSent : asText,
      operation.body?.schema,
      body,
      "body",
    );
    for (const rule of operation.rules ?? []) {
      const broken = rule.check(body);
      if (broken) problems.push(`${at} body.${broken}`);
    }
  }
  return problems;
}

/** The body as data; a string says why it cannot be read as the definition wants. */
async function readBody(
  operation: Operation,
  request: SentRequest,
): Promise<Record<string, unknown> | string | undefined> {
  const expected = operation.body;
  if (!expected) return request.body.length > 0 ? "has no body, but one was sent" : undefined;
  if (request.body.length === 0) return expected.required ? "body is required" : undefined;
  const type = String(request.headers["content-type"] ?? "");
  if (!type.startsWith(expected.mediaType)) return `body must be ${expected.mediaType}, was sent as ${type}`;
  if (expected.mediaType === "application/json") {
    try {
      return JSON.parse(request.body.toString("utf8"));
    } catch {
      return "body is not JSON";
    }
  }
  const form = await new Response(request.body, { headers: { "content-type": type } }).formData();
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form) {
    if (name in fields) return `body.${name} is sent twice`;
    // A file part is what OpenAPI calls a string of format binary: checked as a string (its name stands in).
    fields[name] = typeof value === "string" ? value : `<file ${value.name}>`;
  }
  return fields;
}

/** The path's parameters when it matches the template, else undefined. */
function pathParameters(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  const match = new RegExp(`^${pattern}$`).exec(path);
  if (!match) return undefined;
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
}

function providersOf(operations: Operation[]): string {
  return [...new Set(operations.map((operation) => operation.provider))].join(", ");
}

/**
 * Ajv's errors as one line per broken rule, naming the field, the rule and the value sent. Within an anyOf, a
 * branch of another type is noise: the errors of the branch the value's type chose are shown, or, when the type
 * fits no branch, the types the branches take.
 */
function describe(errors: ErrorObject[], data: unknown, where: string): string[] {
  const anyOf = errors.filter((e) => e.keyword === "anyOf");
  const within = (error: ErrorObject, path: string) =>
    error.instancePath === path || error.instancePath.startsWith(`${path}/`);
  const kept = errors.filter(
    (e) =>
      e.keyword !== "anyOf" &&
      !(e.keyword === "type" && anyOf.some((a) => a.instancePath === e.instancePath)),
  );
  const lines = kept.map((error) => line(error, error.message ?? error.keyword));
  for (const failed of anyOf) {
    if (kept.some((error) => within(error, failed.instancePath))) continue;
    const types = errors
      .filter((e) => e.keyword === "type" && e.instancePath === failed.instancePath)
      .map((e) => e.params.type as string);
    lines.push(line(failed, types.length > 0 ? `must be ${types.join(" or ")}` : (failed.message ?? "")));
  }
  return [...new Set(lines)];

  function line(error: ErrorObject, message: string): string {
    const field = `${where}${error.instancePath.replaceAll("/", ".")}`;
    const got = ` (sent ${JSON.stringify(valueAt(data, error.instancePath))})`;
    switch (error.keyword) {
      case "additionalProperties":
        return `${field}.${error.params.additionalProperty} is not in the definition: the provider refuses or ignores it`;
      case "required":
        return `${field}.${error.params.missingProperty} is required`;
      case "enum":
        return `${field} must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}${got}`;
      default:
        return `${field} ${message}${got}`;
    }
  }
}

function valueAt(data: unknown, pointer: string): unknown {
  return pointer
    .split("/")
    .slice(1)
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], data);
}
