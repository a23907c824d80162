import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ role: "api" });
});
afterAll(() => server.stop());

interface Case {
  name: string;
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** The field the refusal must name (an issue's path, or the batch item's message). */
  field?: string;
}

const post = (body: unknown) => JSON.stringify(body);
const CASES: Case[] = [
  { name: "missing prompt", body: post({ type: "image" }), status: 400, code: "invalid_request" },
  { name: "empty prompt", body: post({ type: "image", prompt: "" }), status: 400, code: "invalid_request" },
  {
    name: "blank prompt",
    body: post({ type: "image", prompt: "   " }),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "prompt of the wrong type",
    body: post({ type: "image", prompt: 42 }),
    status: 400,
    code: "invalid_request",
  },
  { name: "missing type", body: post({ prompt: "x" }), status: 400, code: "invalid_request" },
  {
    name: "unknown type",
    body: post({ type: "hologram", prompt: "x" }),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "width below the limit",
    body: post({ type: "image", prompt: "x", width: 63 }),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "height above the limit",
    body: post({ type: "image", prompt: "x", height: 2049 }),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "width as a string",
    body: post({ type: "image", prompt: "x", width: "wide" }),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "unknown preset",
    body: post({ type: "image", prompt: "x", preset: "poster" }),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "unknown format",
    body: post({ type: "image", prompt: "x", format: "bmp" }),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "seed out of range",
    body: post({ type: "image", prompt: "x", seed: 2 ** 40 }),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "webhook not http(s)",
    body: post({ type: "image", prompt: "x", webhookUrl: "javascript:alert(1)" }),
    status: 400,
    code: "invalid_webhook_url",
  },
  {
    name: "unknown field",
    body: post({ type: "image", prompt: "x", negative_prompt: "y" }),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "metadata not an object",
    body: post({ type: "image", prompt: "x", metadata: [1, 2] }),
    status: 400,
    code: "invalid_request",
  },
  { name: "malformed JSON", body: '{"type": "image", "prompt": ', status: 400, code: "invalid_json" },
  { name: "a JSON array", body: "[]", status: 400, code: "invalid_request" },
  { name: "null body", body: "null", status: 400, code: "invalid_request" },
  {
    name: "a non-JSON content type",
    body: "type=image",
    headers: { "content-type": "text/plain" },
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "unknown model",
    body: post({ type: "image", prompt: "x", model: "dall-e-9" }),
    status: 422,
    code: "model_unavailable",
  },
  {
    name: "model whose provider is not configured",
    body: post({ type: "image", prompt: "x", model: "flux-2-turbo" }),
    status: 422,
    code: "model_unavailable",
  },
  {
    name: "a body over 1 MiB",
    body: post({ type: "image", prompt: "x".repeat(1_100_000) }),
    status: 413,
    code: "payload_too_large",
  },
  { name: "a malformed job id", method: "GET", path: "/v1/jobs/123", status: 400, code: "invalid_request" },
  {
    name: "a job that does not exist",
    method: "GET",
    path: "/v1/jobs/job_0000000000000000000000zz",
    status: 404,
    code: "not_found",
  },
  {
    name: "cancel a job that does not exist",
    method: "POST",
    path: "/v1/jobs/job_0000000000000000000000zz/cancel",
    status: 404,
    code: "not_found",
  },
  {
    name: "a list limit too large",
    method: "GET",
    path: "/v1/jobs?limit=1000",
    status: 400,
    code: "invalid_request",
  },
  {
    name: "a list limit that is not a number",
    method: "GET",
    path: "/v1/jobs?limit=ten",
    status: 400,
    code: "invalid_request",
  },
  {
    name: "an unknown status filter",
    method: "GET",
    path: "/v1/jobs?status=done",
    status: 400,
    code: "invalid_request",
  },
  {
    name: "a date filter that is not ISO",
    method: "GET",
    path: "/v1/jobs?createdAfter=yesterday",
    status: 400,
    code: "invalid_request",
  },
  {
    name: "a cursor we never gave",
    method: "GET",
    path: "/v1/jobs?cursor=bm9wZQ",
    status: 400,
    code: "invalid_request",
  },
  { name: "an unknown endpoint", method: "GET", path: "/v1/images", status: 404, code: "not_found" },
  ...poisonedStringCases(),
  // GET of any other top-level path is the web console's (its client routes); a POST or a missing file is not.
  {
    name: "a POST to an unknown top-level path",
    method: "POST",
    path: "/nothing-here",
    status: 404,
    code: "not_found",
  },
  {
    name: "a missing top-level file",
    method: "GET",
    path: "/nothing-here.txt",
    status: 404,
    code: "not_found",
  },
];

/**
 * Issue 15: a NUL character or an unpaired surrogate in any string field is 400 naming the field (Postgres stores
 * neither), never a 500. JSON carries both as escapes (\u0000, \ud800), which is how a caller sends them.
 */
function poisonedStringCases(): Case[] {
  const image = { type: "image", prompt: "x" };
  const video = { type: "video", prompt: "x" };
  const audio = { type: "audio", prompt: "x" };
  const endpoint = "/v1/webhooks/endpoints";
  const cases: Case[] = [];
  for (const [what, poison] of [
    ["a NUL", "a\u0000b"],
    ["a lone surrogate", "a\ud800b"],
  ] as const) {
    const job = (field: string, body: unknown): Case => ({
      name: `${what} in ${field}`,
      body: post(body),
      status: 400,
      code: "invalid_request",
      field,
    });
    cases.push(
      job("prompt", { ...image, prompt: poison }),
      job("prompt", { ...audio, prompt: poison }),
      job("voiceover.script", { ...video, voiceover: { script: poison } }),
      job("voice", { ...audio, voice: poison }),
      job("model", { ...image, model: poison }),
      job("metadata.k", { ...image, metadata: { k: poison } }),
      job("metadata", { ...image, metadata: { [poison]: 1 } }),
      job("webhookUrl", { ...image, webhookUrl: `https://example.com/${poison}` }),
      {
        name: `${what} in a batch item's customId`,
        path: "/v1/batch",
        body: post({ jobs: [image, { ...image, customId: poison }] }),
        status: 400,
        code: "invalid_batch",
        field: "customId",
      },
      {
        name: `${what} in a batch item's prompt`,
        path: "/v1/batch",
        body: post({ jobs: [{ ...image, prompt: poison }] }),
        status: 400,
        code: "invalid_batch",
        field: "prompt",
      },
      {
        name: `${what} in a matrix prompt`,
        path: "/v1/batch",
        body: post({ matrix: { prompts: ["ok", poison] } }),
        status: 400,
        code: "invalid_request",
        field: "matrix.prompts.1",
      },
      {
        name: `${what} in a batch's metadata`,
        path: "/v1/batch",
        body: post({ jobs: [image], metadata: { k: poison } }),
        status: 400,
        code: "invalid_request",
        field: "metadata.k",
      },
      {
        name: `${what} in a webhook endpoint's url`,
        path: endpoint,
        body: post({ url: `https://example.com/${poison}` }),
        status: 400,
        code: "invalid_request",
        field: "url",
      },
      {
        name: `${what} in a webhook endpoint's description`,
        path: endpoint,
        body: post({ url: "https://example.com/hook", description: poison }),
        status: 400,
        code: "invalid_request",
        field: "description",
      },
      {
        name: `${what} in a webhook endpoint's new description`,
        method: "PATCH",
        path: `${endpoint}/whe_0000000000000000000000zz`,
        body: post({ description: poison }),
        status: 400,
        code: "invalid_request",
        field: "description",
      },
    );
  }
  cases.push(
    {
      name: "a NUL in the job list's model filter",
      method: "GET",
      path: "/v1/jobs?model=a%00b",
      status: 400,
      code: "invalid_request",
      field: "model",
    },
    {
      name: "a NUL in a cursor",
      method: "GET",
      path: "/v1/jobs?cursor=a%00b",
      status: 400,
      code: "invalid_request",
      field: "cursor",
    },
  );
  return cases;
}

test.each(CASES)("$name → $status $code", async (c) => {
  const response = await server.api(c.path ?? "/v1/jobs", {
    method: c.method ?? "POST",
    ...(c.body !== undefined && { body: c.body }),
    headers: { "content-type": "application/json", ...c.headers },
  });
  expect(response.status).toBe(c.status);
  const body = (await response.json()) as {
    error: { code: string; message: string; requestId: string; details?: unknown };
  };
  expect(body.error.code).toBe(c.code);
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(body.error.requestId).toMatch(/^req_/);
  expect(response.headers.get("x-request-id")).toBe(body.error.requestId);
  expect(Object.keys(body)).toEqual(["error"]);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  if (c.field) expect(namedFields(body.error)).toContain(c.field);
});

/** The fields an error names: its issues' paths, or for a batch each item's message up to its first colon. */
function namedFields(error: { details?: unknown }): string[] {
  const details = error.details as {
    issues?: { path: string }[];
    items?: { message: string }[];
  };
  return [
    ...(details?.issues ?? []).map((i) => i.path.split(".").slice(0, 3).join(".")),
    ...(details?.issues ?? []).map((i) => i.path.split(".")[0]!),
    ...(details?.items ?? []).map((i) => i.message.split(":")[0]!),
  ];
}

test("a validation error names every bad field", async () => {
  const response = await server.api("/v1/jobs", {
    method: "POST",
    body: post({ type: "image", prompt: "", width: 1 }),
  });
  const body = (await response.json()) as { error: { details: { issues: { path: string }[] } } };
  expect(body.error.details.issues.map((i) => i.path).sort()).toEqual(["prompt", "width"]);
});

test("an unavailable model lists the models that are available", async () => {
  const response = await server.api("/v1/jobs", {
    method: "POST",
    body: post({ type: "image", prompt: "x", model: "gpt-image-2" }),
  });
  const body = (await response.json()) as { error: { message: string; details: { available: string[] } } };
  expect(body.error.details.available).toContain("local-studio");
  expect(body.error.message).toMatch(/local-studio/);
});

test("bad input writes no job", async () => {
  await Promise.all(
    CASES.filter((c) => (c.method ?? "POST") === "POST").map((c) =>
      server.api(c.path ?? "/v1/jobs", { method: "POST", body: c.body ?? "" }),
    ),
  );
  const jobs = await server.t.db.selectFrom("jobs").select("id").execute();
  expect(jobs).toEqual([]);
});
