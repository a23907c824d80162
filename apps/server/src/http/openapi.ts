import { ErrorBody } from "@mcpmediaengine/contract";
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { z } from "zod";
import { appRouter } from "../trpc/router";
import { ACCEPTED_PATHS } from "./rest";

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
      "Generate images, video and speech as jobs. Submit a job, get its id at once, then poll it or receive a signed webhook. Authenticate with `Authorization: Bearer <api key>`.",
    version: "0.1.0",
    baseUrl: `${baseUrl.replace(/\/+$/, "")}/v1`,
    securitySchemes: {
      bearerAuth: { type: "http", scheme: "bearer", description: "Your API key (mme_sk_…)." },
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
      const path = operation.operationId?.replace("-", ".");
      if (path && ACCEPTED_PATHS.has(path) && operation.responses["200"]) {
        operation.responses["202"] = operation.responses["200"];
        delete operation.responses["200"];
      }
    }
  }
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
