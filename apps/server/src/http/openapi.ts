import { CreateJobRequest, ErrorBody, LEDGER_CSV_COLUMNS, UPLOAD_LIMITS } from "@mcpmediaengine/contract";
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { z } from "zod";
import { appRouter } from "../trpc/router";
import { IDEMPOTENT_PROCEDURES } from "./idempotent-operations";
import { errorCodesByStatus, errorDescription, type OperationFacts } from "./openapi-errors";
import { addEventStreams } from "./openapi-events";
import { ACCEPTED_PATHS } from "./rest";
import { SESSION_COOKIE } from "./session-cookie";

const LEDGER_CSV = `Sent for \`Accept: text/csv\`: a header line (${LEDGER_CSV_COLUMNS.join(",")}), then every matching entry, newest first (RFC 4180; a reason starting with =, +, - or @ gets a leading ').`;

/**
 * The OpenAPI document of the REST API. trpc-to-openapi describes errors in tRPC's shape and every success as
 * 200, gives path and query parameters the description of the field's type rather than of the field, and drops
 * the documented schema (`override`) of an input the transport takes loosely (a job request, told apart by its
 * type, that the service parses); all are corrected here to what the contract says and the server really does.
 * Each operation's error statuses come from one table (`openapi-errors.ts`), with the codes each can carry
 * (`x-error-codes`) and the headers the server sends.
 */
export function buildOpenApiDocument(baseUrl: string): OpenAPIObject {
  const doc = generateOpenApiDocument(appRouter, {
    title: "MCP Media Engine API",
    description:
      "Generate images, video and speech as jobs. Submit a job, get its id at once, then poll it or receive a signed webhook. Authenticate with `Authorization: Bearer <api key>`, or from a browser with the session cookie that POST /auth/login sets (state-changing requests then need our own Origin).",
    version: "0.1.0",
    baseUrl: `${baseUrl.replace(/\/+$/, "")}/v1`,
    securitySchemes: {
      bearerAuth: { type: "http", scheme: "bearer", description: "Your API key (mme_sk_…)." },
      cookieAuth: {
        type: "apiKey",
        in: "cookie",
        name: SESSION_COOKIE,
        description:
          "A browser session, opened by POST /auth/login or /auth/signup. For the admin operations, a session of the operator's account.",
      },
    },
  });
  const errorSchema = z.toJSONSchema(ErrorBody, { target: "openapi-3.0" });
  doc.info.license = { name: "MIT", identifier: "MIT" } as never;
  doc.components = {
    ...doc.components,
    schemas: { ...doc.components?.schemas, Error: errorSchema as never },
    headers: HEADERS as never,
    parameters: { IdempotencyKey: IDEMPOTENCY_KEY } as never,
  };
  for (const [path, pathItem] of Object.entries(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(pathItem as Record<string, Operation>)) {
      const procedure = operation.operationId?.replace("-", ".") ?? "";
      const documented = bodyOverride(procedure);
      const json = operation.requestBody?.content["application/json"];
      if (documented && json) json.schema = documented;
      liftExample(json);
      const fields = inputFields(procedure);
      for (const parameter of operation.parameters ?? []) {
        const description = fields?.[parameter.name]?.description;
        if (!description) continue;
        parameter.description = description;
        if (parameter.schema) parameter.schema.description = description;
      }
      const facts = factsOf(procedure, method, path, operation);
      if (facts.idempotent)
        operation.parameters = [
          ...(operation.parameters ?? []),
          { $ref: "#/components/parameters/IdempotencyKey" } as never,
        ];
      operation.responses = responsesOf(operation.responses ?? {}, facts);
      if (operation.operationId === "uploads-create" && operation.requestBody) {
        // The bytes themselves are taken too, outside trpc-to-openapi (http/uploads.ts).
        const bytes = { schema: { type: "string", format: "binary", description: "The image's bytes." } };
        for (const type of UPLOAD_LIMITS.mimeTypes) operation.requestBody.content[type] = bytes;
        operation.requestBody.content["multipart/form-data"] = {
          schema: {
            type: "object",
            properties: { file: { type: "string", format: "binary", description: "The image." } },
            required: ["file"],
          },
        };
      }
      if (operation.operationId === "credits-ledger") {
        const ok = operation.responses["200"] as { content?: Record<string, unknown> } | undefined;
        if (ok?.content) ok.content["text/csv"] = { schema: { type: "string", description: LEDGER_CSV } };
      }
    }
  }
  addEventStreams(doc);
  for (const [path, procedure] of EVENT_STREAMS) {
    const operation = doc.paths?.[path]?.get as Operation;
    const responses = operation.responses ?? {};
    const noContent = responses["204"];
    const facts: OperationFacts = {
      procedure,
      method: "get",
      path,
      hasBody: false,
      hasParameters: true,
      // Both name an object (the job, the batch) that may not be the caller's.
      hasPathParameters: true,
      admin: false,
      idempotent: false,
      accepted: false,
      takesJobRequest: false,
      takesWebhookUrl: false,
    };
    operation.responses = { ...responsesOf(responses, facts), "204": noContent };
  }
  pruneUnusedComponents(doc);
  return doc;
}

interface Operation {
  operationId?: string;
  requestBody?: { content: Record<string, { schema: unknown; example?: unknown }> };
  responses?: Record<string, unknown>;
  parameters?: { name: string; in?: string; description?: string; schema?: { description?: string } }[];
}

const header = (description: string, schema: object = { type: "string" }) => ({ description, schema });
/** The response headers (draft-ietf-httpapi-ratelimit-headers for the limits). */
/** The event streams (openapi-events.ts), plain routes outside the router, with the procedure names they stand for. */
const EVENT_STREAMS = [
  ["/jobs/{jobId}/events", "jobs.events"],
  ["/jobs/events", "jobs.batchEvents"],
] as const;

const HEADERS = {
  RateLimit: header(
    'What is left of the key\'s allowance and when it refills, such as `"per-key";r=57;t=41`.',
  ),
  "RateLimit-Policy": header('The key\'s allowance: requests per window, such as `"per-key";q=60;w=60`.'),
  "Retry-After": header("Seconds to wait before trying again.", { type: "integer", minimum: 0 }),
  "Idempotent-Replayed": header(
    "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
    { type: "string", enum: ["true"] },
  ),
  "X-Request-Id": {
    ...header("This request's id, also in the error body and the server's log."),
    required: true,
  },
};
const IDEMPOTENCY_KEY = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Your unique key for this request (1 to 255 visible ASCII characters, such as a UUID). Retrying with the same key and the same request within 24 hours gets the first answer again (with `Idempotent-Replayed: true`) and changes nothing; the same key with another request is 409 `idempotency_conflict`.",
  schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7e]+$" },
};
const ref = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });

/** The operation's facts for the error table, from the router and the generated document. */
function factsOf(procedure: string, method: string, path: string, operation: Operation): OperationFacts {
  const body = JSON.stringify(operation.requestBody ?? {});
  const input = procedureOf(procedure)?._def.inputs[0];
  return {
    procedure,
    method,
    path,
    hasBody: operation.requestBody !== undefined,
    hasParameters: (operation.parameters ?? []).length > 0,
    hasPathParameters: (operation.parameters ?? []).some((p) => p.in === "path"),
    admin: path.startsWith("/admin/"),
    idempotent: IDEMPOTENT_PROCEDURES.includes(procedure),
    accepted: ACCEPTED_PATHS.has(procedure),
    takesJobRequest: input === CreateJobRequest,
    takesWebhookUrl:
      body.includes('"webhookUrl"') || (path.startsWith("/webhooks/endpoints") && body !== "{}"),
  };
}

/** The success response as the server answers it, then one response per error status the table gives. */
function responsesOf(generated: Record<string, unknown>, facts: OperationFacts): Record<string, unknown> {
  const ok = generated["200"] as { description?: string; headers?: Record<string, unknown> };
  const common = {
    "X-Request-Id": ref("X-Request-Id"),
    ...(!facts.admin && { RateLimit: ref("RateLimit"), "RateLimit-Policy": ref("RateLimit-Policy") }),
    ...(facts.idempotent && { "Idempotent-Replayed": ref("Idempotent-Replayed") }),
  };
  const responses: Record<string, unknown> = {
    [facts.accepted ? "202" : "200"]: { ...ok, headers: { ...ok.headers, ...common } },
  };
  for (const [status, codes] of errorCodesByStatus(facts)) {
    responses[String(status)] = {
      description: errorDescription(status, codes),
      headers: {
        ...common,
        ...(status === 429 && { "Retry-After": { ...HEADERS["Retry-After"], required: true } }),
        ...(status === 503 && { "Retry-After": ref("Retry-After") }),
      },
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      "x-error-codes": codes,
    };
  }
  return responses;
}

/**
 * Swagger UI prefills a body from the media type's example, else from the schema (a job request then goes out as
 * `"model": "string"` and is refused): the schema's first example, given in the contract, is lifted there.
 */
function liftExample(json: { schema: unknown; example?: unknown } | undefined): void {
  const examples = (json?.schema as { examples?: unknown[] } | undefined)?.examples;
  if (json && examples?.length) json.example = examples[0];
}

/** Drops components no $ref names (trpc-to-openapi's tRPC-shaped error schemas, once ours replace them). */
function pruneUnusedComponents(doc: OpenAPIObject): void {
  const text = JSON.stringify(doc.paths);
  const components = doc.components as Record<string, Record<string, unknown>>;
  for (const [kind, entries] of Object.entries(components)) {
    if (kind === "securitySchemes") continue;
    for (const name of Object.keys(entries)) {
      if (!text.includes(`"#/components/${kind}/${name}"`)) delete entries[name];
    }
  }
}

function procedureOf(procedure: string) {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { inputs: unknown[] } }>;
  return procedures[procedure];
}

/** The fields of the input schema of a procedure. */
function inputFields(procedure: string): Record<string, z.ZodType> | undefined {
  const input = procedureOf(procedure)?._def.inputs[0];
  return input instanceof z.ZodObject ? (input.shape as Record<string, z.ZodType>) : undefined;
}

/** The schema an input declares for the documentation (`.meta({ override })`), when it declares one. */
function bodyOverride(procedure: string): unknown {
  const input = procedureOf(procedure)?._def.inputs[0];
  return input instanceof z.ZodType
    ? (input.meta() as { override?: unknown } | undefined)?.override
    : undefined;
}
