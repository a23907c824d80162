import { Validator } from "@seriousme/openapi-schema-validator";
import addFormats from "ajv-formats";
import { OpenAPIBackend } from "openapi-backend";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildOpenApiDocument } from "../src/http/openapi";
import { ERROR_SCOPE } from "../src/http/openapi-errors";
import { startTestServer, type TestServer } from "./harness";

interface Operation {
  operationId: string;
  security?: unknown[];
  parameters?: ({ $ref?: string } & Record<string, unknown>)[];
  requestBody?: { content: Record<string, { schema: unknown; example?: unknown }> };
  responses: Record<string, { headers?: Record<string, unknown>; "x-error-codes"?: string[] } & object>;
}
type Doc = {
  info: { license?: { name: string } };
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
};
const doc = () => buildOpenApiDocument("http://localhost:8787") as unknown as Doc;
const operations = () =>
  Object.entries(doc().paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );

// The REST contract is public: any change to a path, field or description shows up in review as a diff of this
// file. Run `pnpm --filter @mcpmediaengine/server test -u` to accept an intended change.
test("the OpenAPI document matches the committed snapshot", async () => {
  await expect(`${JSON.stringify(doc(), null, 2)}\n`).toMatchFileSnapshot("./__snapshots__/openapi.json");
});

test("the document is valid OpenAPI 3.1, has a license and no component that nothing uses", async () => {
  const result = await new Validator().validate(doc() as never);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
  const document = doc();
  expect(document.info.license?.name).toBe("MIT");
  const text = JSON.stringify(document.paths);
  for (const [kind, entries] of Object.entries(document.components)) {
    if (kind === "securitySchemes") continue;
    for (const name of Object.keys(entries)) expect(text).toContain(`"#/components/${kind}/${name}"`);
  }
});

test("every operation is authenticated and lists each error status it can answer, with its codes and headers", () => {
  const all = operations();
  expect(all.length).toBeGreaterThanOrEqual(4);
  for (const { path, method, operation } of all) {
    const where = `${method.toUpperCase()} ${path}`;
    expect([where, operation.security]).toEqual([where, [{ bearerAuth: [] }, { cookieAuth: [] }]]);
    const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
    // Every operation can fail without a key, and on our side or the database's.
    expect([where, errors.map(([s]) => s)]).toEqual([where, expect.arrayContaining(["401", "500", "503"])]);
    for (const [status, response] of errors) {
      expect(JSON.stringify(response)).toContain("#/components/schemas/Error");
      for (const code of response["x-error-codes"] ?? []) expect(code in ERROR_SCOPE).toBe(true);
      if (status === "429") expect(response.headers?.["Retry-After"]).toMatchObject({ required: true });
      expect(response.headers?.["X-Request-Id"]).toBeDefined();
    }
  }
  const byId = Object.fromEntries(all.map((o) => [o.operation.operationId, o.operation]));
  const codes = (id: string, status: string) => byId[id]!.responses[status]?.["x-error-codes"];
  expect(codes("jobs-create", "402")).toEqual(["insufficient_credits"]);
  expect(codes("jobs-create", "422")).toEqual(["model_unavailable", "unsupported_input"]);
  expect(codes("jobs-create", "409")).toEqual(["idempotency_conflict"]);
  expect(codes("jobs-cancel", "409")).toEqual(["job_not_cancelable", "idempotency_conflict"]);
  expect(codes("batches-create", "413")).toEqual(["payload_too_large"]);
  expect(codes("jobs-list", "429")).toEqual(["rate_limited"]);
  // The operator's API is not rate limited.
  expect(byId["admin-listAccounts"]!.responses["429"]).toBeUndefined();
  for (const id of ["jobs-create", "batches-create", "webhooks-createEndpoint", "webhooks-redeliver"]) {
    expect(byId[id]!.parameters).toContainEqual({ $ref: "#/components/parameters/IdempotencyKey" });
    const ok = byId[id]!.responses[id.endsWith("create") && !id.startsWith("webhooks") ? "202" : "200"]!;
    expect(Object.keys(ok.headers ?? {})).toEqual(
      expect.arrayContaining(["Idempotent-Replayed", "RateLimit", "RateLimit-Policy"]),
    );
  }
});

let server: TestServer;
let api: OpenAPIBackend;
beforeAll(async () => {
  server = await startTestServer();
  api = new OpenAPIBackend({
    definition: doc() as never,
    quick: true,
    customizeAjv: (ajv) => {
      addFormats(ajv as never);
      return ajv;
    },
  });
  await api.init();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

/** The request body as the published schema judges it (openapi-backend's request validator, on ajv). */
function bodyErrors(operationId: string, path: string, method: string, body: unknown): unknown {
  const result = api.validateRequest(
    { method, path, body, headers: { "content-type": "application/json" }, query: {} },
    operationId,
  );
  // Path parameters are placeholders here: only the body is judged.
  const errors = (result.errors ?? []).filter((e) => e.instancePath.startsWith("/requestBody"));
  return errors.length ? errors : null;
}

test("every request body has an example that its schema accepts; the job, estimate and batch examples work as sent", async () => {
  for (const { path, method, operation } of operations()) {
    const json = operation.requestBody?.content["application/json"];
    if (
      !json ||
      operation.operationId === "webhooks-rotateSecret" ||
      operation.operationId === "admin-createKey" ||
      operation.operationId === "billing-portal"
    )
      continue;
    expect([operation.operationId, json.example !== undefined]).toEqual([operation.operationId, true]);
    const concrete = path.replace(/\{[^}]+\}/g, "x");
    expect([
      operation.operationId,
      bodyErrors(operation.operationId, concrete, method, json.example),
    ]).toEqual([operation.operationId, null]);
  }
  const paths = doc().paths;
  for (const [path, status] of [
    ["/jobs", 202],
    ["/jobs/estimate", 200],
    ["/batch", 202],
  ] as const) {
    const example = paths[path]!.post!.requestBody!.content["application/json"]!.example;
    const response = await server.api(`/v1${path}`, { method: "POST", body: JSON.stringify(example) });
    expect([path, response.status]).toEqual([path, status]);
  }
});

test("the README's batch example, whose items leave out what defaults give, fits the published schema", () => {
  const body = {
    defaults: { type: "image", preset: "social_post" },
    webhookUrl: "https://example.com/hooks",
    jobs: [
      { prompt: "spring sale, pastel", customId: "a" },
      { prompt: "spring sale, bold", customId: "b" },
    ],
  };
  expect(bodyErrors("batches-create", "/batch", "post", body)).toBeNull();
  // An item that names a field no job request has is still refused by the schema.
  const wrong = { ...body, jobs: [{ prompt: "x", colour: "red" }] };
  expect(bodyErrors("batches-create", "/batch", "post", wrong)).not.toBeNull();
});
