import addFormats from "ajv-formats";
import { OpenAPIBackend, type Operation } from "openapi-backend";
import { buildOpenApiDocument } from "../src/http/openapi";

/**
 * Every answer a test receives from a test server's REST API is held to the published OpenAPI document by a
 * validator we did not write (openapi-backend, on ajv): its status must be one the operation documents, its body
 * must match that status's schema, its headers their declared schemas, and an error's code must be one the
 * status lists (`x-error-codes`). A mismatch fails the request in the test that made it, naming what differed.
 *
 * The hook wraps `fetch` once per test process, so requests made with `server.api`, with `fetch` itself or through
 * the SDK are all checked; only the origins of test servers (`watchApiOrigin`) are, never a fake provider's.
 */
const origins = new Set<string>();
/** How many answers were checked in this test process; the hook's own test reads it. */
export const checked = { count: 0 };
let backend: Promise<OpenAPIBackend> | undefined;

export function watchApiOrigin(url: string): void {
  origins.add(new URL(url).origin);
}

export class ResponseContractError extends Error {
  override name = "ResponseContractError";
}

function validator(): Promise<OpenAPIBackend> {
  backend ??= (async () => {
    // `quick` skips openapi-backend's check of the document itself, whose OpenAPI 3.1 schema is older than 3.1
    // (it refuses `type: ["string", "null"]`); openapi.test.ts checks the document with
    // @seriousme/openapi-schema-validator instead. The responses are still validated, by ajv.
    const definition = buildOpenApiDocument("http://localhost") as never;
    const api = new OpenAPIBackend({
      definition,
      quick: true,
      validate: true,
      strict: true,
      customizeAjv: (ajv) => {
        addFormats(ajv as never);
        return ajv;
      },
    });
    await api.init();
    return api;
  })();
  return backend;
}

/** Checks one answer against the document; throws ResponseContractError when it does not conform. */
export async function checkResponse(method: string, url: URL, response: Response): Promise<void> {
  const api = await validator();
  const path = url.pathname.replace(/^\/v1/, "");
  const operation = api.matchOperation({
    method,
    path,
    query: Object.fromEntries(url.searchParams),
    headers: {},
  }) as Operation | undefined;
  // A path or method the document does not have (404 and 405 of unknown routes) belongs to no operation.
  if (!operation) return;
  checked.count++;
  const what = `${method} ${url.pathname} answered ${response.status}`;
  const documented = operation.responses?.[String(response.status)] as
    | { content?: Record<string, unknown>; "x-error-codes"?: string[] }
    | undefined;
  if (!documented)
    throw new ResponseContractError(
      `${what}, a status ${operation.operationId} does not document (it documents ${Object.keys(operation.responses ?? {}).join(", ")}).`,
    );
  const headers = Object.fromEntries(response.headers);
  // "any": each documented header that is present must match its schema; the required ones must be present.
  const headerCheck = api.validateResponseHeaders(headers, operation, {
    statusCode: response.status,
    setMatchType: "any" as never,
  });
  if (headerCheck.errors)
    throw new ResponseContractError(`${what}: headers ${JSON.stringify(headerCheck.errors)}`);
  const declared = (documented as { headers?: Record<string, { required?: boolean }> }).headers ?? {};
  for (const [name, header] of Object.entries(declared)) {
    if (header.required && !response.headers.has(name))
      throw new ResponseContractError(`${what} without the ${name} header the document requires.`);
  }
  const type = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
  if (method === "HEAD" || response.status === 204) return;
  if (!documented.content?.[type])
    throw new ResponseContractError(
      `${what} with content type "${type}", which ${operation.operationId} does not document for that status.`,
    );
  if (type !== "application/json") return;
  const body = (await response.clone().json()) as { error?: { code?: string } };
  const bodyCheck = api.validateResponse(body, operation, response.status);
  if (bodyCheck.errors)
    throw new ResponseContractError(
      `${what}: the body does not match the document: ${JSON.stringify(bodyCheck.errors).slice(0, 2000)}`,
    );
  const codes = documented["x-error-codes"];
  if (codes && !codes.includes(body.error?.code ?? ""))
    throw new ResponseContractError(
      `${what} with code ${body.error?.code}, which ${operation.operationId} does not list for ${response.status} (${codes.join(", ")}).`,
    );
}

const originalFetch = globalThis.fetch;
if (!(originalFetch as { validated?: boolean }).validated) {
  const validatingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await originalFetch(input, init);
    // Read from the arguments, not a Request made of them: that would consume a streamed body.
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    if (origins.has(url.origin) && url.pathname.startsWith("/v1/"))
      await checkResponse(method, url, response);
    return response;
  };
  globalThis.fetch = Object.assign(validatingFetch, { validated: true }) as typeof fetch;
}
