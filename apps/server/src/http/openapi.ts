import { ErrorBody } from "@mcpmediaengine/contract";
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { z } from "zod";
import { appRouter } from "../trpc/router";
import { ACCEPTED_PATHS } from "./rest";

/**
 * The OpenAPI document of the REST API. trpc-to-openapi describes errors in tRPC's shape and every success as
 * 200; both are corrected here to what the server really sends.
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
      pathItem as Record<string, { operationId?: string; responses?: Record<string, unknown> }>,
    )) {
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
