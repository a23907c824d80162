import { ErrorBody, LEDGER_CSV_COLUMNS, UPLOAD_LIMITS } from "@mcpmediaengine/contract";
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { z } from "zod";
import { appRouter } from "../trpc/router";
import { addEventStreams } from "./openapi-events";
import { ACCEPTED_PATHS } from "./rest";
import { SESSION_COOKIE } from "./session-cookie";

const LEDGER_CSV = `Sent for \`Accept: text/csv\`: a header line (${LEDGER_CSV_COLUMNS.join(",")}), then every matching entry, newest first (RFC 4180; a reason starting with =, +, - or @ gets a leading ').`;

/**
 * The OpenAPI document of the REST API. trpc-to-openapi describes errors in tRPC's shape and every success as
 * 200, gives path and query parameters the description of the field's type rather than of the field, and drops
 * the documented schema (`override`) of an input the transport takes loosely (a job request, told apart by its
 * type, that the service parses); all are corrected here to what the contract says and the server really does.
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
  doc.components = {
    ...doc.components,
    schemas: { ...doc.components?.schemas, Error: errorSchema as never },
  };
  for (const pathItem of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(
      pathItem as Record<
        string,
        {
          operationId?: string;
          requestBody?: { content: Record<string, { schema: unknown }> };
          responses?: Record<string, unknown>;
          parameters?: { name: string; description?: string; schema?: { description?: string } }[];
        }
      >,
    )) {
      const documented = bodyOverride(operation.operationId);
      const json = operation.requestBody?.content["application/json"];
      if (documented && json) json.schema = documented;
      const fields = inputFields(operation.operationId);
      for (const parameter of operation.parameters ?? []) {
        const description = fields?.[parameter.name]?.description;
        if (!description) continue;
        parameter.description = description;
        if (parameter.schema) parameter.schema.description = description;
      }
      if (!operation?.responses) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (status === "default" || Number(status) >= 400) {
          const description = (response as { description?: string }).description ?? "Error";
          operation.responses[status] = {
            description,
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          };
        }
      }
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
      const path = operation.operationId?.replace("-", ".");
      if (path && ACCEPTED_PATHS.has(path) && operation.responses["200"]) {
        operation.responses["202"] = operation.responses["200"];
        delete operation.responses["200"];
      }
    }
  }
  addEventStreams(doc);
  return doc;
}

/** The fields of the input schema of the procedure behind an operation id ("jobs-list" is jobs.list). */
function inputFields(operationId: string | undefined): Record<string, z.ZodType> | undefined {
  if (!operationId) return undefined;
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { inputs: unknown[] } }>;
  const input = procedures[operationId.replace("-", ".")]?._def.inputs[0];
  return input instanceof z.ZodObject ? (input.shape as Record<string, z.ZodType>) : undefined;
}

/** The schema an input declares for the documentation (`.meta({ override })`), when it declares one. */
function bodyOverride(operationId: string | undefined): unknown {
  if (!operationId) return undefined;
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { inputs: unknown[] } }>;
  const input = procedures[operationId.replace("-", ".")]?._def.inputs[0];
  return input instanceof z.ZodType
    ? (input.meta() as { override?: unknown } | undefined)?.override
    : undefined;
}
