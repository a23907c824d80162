import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newId } from "@mcpmediaengine/contract";
import { createTestDatabase, type TestDatabase } from "@mcpmediaengine/testing";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type CliProcess, runCli } from "./cli";
import { FakeProviders, json, png } from "./fake-providers";
import { OtlpReceiver, type ReceivedSpan } from "./otlp-receiver";
import { WebhookReceiver } from "./webhook-receiver";

const KEY = "mme_sk_test_tracing_key_0001";
const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;
const SPAN_KIND_CONSUMER = 5;
const STATUS_ERROR = 2;

let t: TestDatabase;
let otlp: OtlpReceiver;
let hooks: WebhookReceiver;
let fake: FakeProviders;
let hostedJobId: string;
let cli: CliProcess;
let url: string;
let jobId: string;
let mcpTraceId: string;
let modernTraceId: string;
let assetSig: string;

// One engine, in its own process as deployed, sends its spans to a receiver started here; the process is stopped
// before the spans are read, so everything it had buffered has been sent (the SDK flushes at shutdown).
beforeAll(async () => {
  t = await createTestDatabase();
  otlp = await new OtlpReceiver().start();
  hooks = await new WebhookReceiver().start();
  fake = await new FakeProviders().start();
  fake.set("POST /v1/images/generations", (_request, _body, response) =>
    json(response, 200, { data: [{ b64_json: png(1024, 1024).toString("base64") }] }),
  );
  cli = runCli(["start"], {
    OPENAI_API_KEY: "sk-test-openai",
    OPENAI_BASE_URL: fake.url,
    DATABASE_URL: t.connectionString,
    PORT: "0",
    MME_DATA_DIR: mkdtempSync(join(tmpdir(), "mme-tracing-")),
    MME_DEV_MODELS: "1",
    MME_BOOTSTRAP_API_KEY: KEY,
    MME_WEBHOOK_ALLOW_PRIVATE: "1",
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    OTEL_SERVICE_NAME: "mme-under-test",
  });
  await cli.waitFor(/listening on/, 60_000);
  url = /listening on (http:\/\/\S+?);/.exec(cli.stdout())![1]!;
  const api = (path: string, body: object) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  const submitted = await api("/v1/jobs", {
    type: "image",
    prompt: "traced",
    model: "dev-noop",
    webhookUrl: `${hooks.url}/traced`,
  });
  expect(submitted.status).toBe(202);
  jobId = ((await submitted.json()) as { jobId: string }).jobId;
  const [delivered] = await hooks.waitFor("/traced", 1, 60_000);
  // The asset's signed URL, downloaded: its signature is a credential and must stay out of every span.
  const assetUrl = (
    JSON.parse(delivered!.body) as { data: { job: { result: { assets: { url: string }[] } } } }
  ).data.job.result.assets[0]!.url;
  assetSig = new URL(assetUrl).searchParams.get("sig")!;
  expect(assetSig.length).toBeGreaterThan(10);
  expect((await fetch(assetUrl)).status).toBe(200);

  const hosted = await api("/v1/jobs", {
    type: "image",
    prompt: "hosted",
    model: "gpt-image-2",
    width: 1024,
    height: 1024,
    webhookUrl: `${hooks.url}/hosted`,
  });
  hostedJobId = ((await hosted.json()) as { jobId: string }).jobId;
  await hooks.waitFor("/hosted", 1, 60_000);

  // A tool call whose client sent its own trace context, and whose result is an error (no such job).
  mcpTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const mcp = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${KEY}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 42,
      method: "tools/call",
      params: {
        name: "get_job_status",
        arguments: { jobId: newId("job") },
        _meta: { traceparent: `00-${mcpTraceId}-00f067aa0ba902b7-01` },
      },
    }),
  });
  expect(((await mcp.json()) as { result: { isError: boolean } }).result.isError).toBe(true);

  // The same over protocol 2026-07-28 (stateless, the 2.x SDK's server).
  modernTraceId = "5cf92f3577b34da6a3ce929d0e0e4737";
  const modern = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${KEY}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "tools/call",
      "mcp-name": "get_job_status",
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 43,
      method: "tools/call",
      params: {
        name: "get_job_status",
        arguments: { jobId: newId("job") },
        _meta: {
          traceparent: `00-${modernTraceId}-10f067aa0ba902b7-01`,
          "io.modelcontextprotocol/protocolVersion": "2026-07-28",
          "io.modelcontextprotocol/clientCapabilities": {},
        },
      },
    }),
  });
  expect(((await modern.json()) as { result: { isError: boolean } }).result.isError).toBe(true);

  cli.child.kill("SIGTERM");
  expect((await cli.exited).code).toBe(0);
}, 180_000);

afterAll(async () => {
  if (cli?.child.exitCode === null) cli.child.kill("SIGKILL");
  await hooks?.stop();
  await fake?.close();
  await otlp?.stop();
  await t?.drop();
});

const parentOf = (span: ReceivedSpan) => otlp.spans.find((s) => s.spanId === span.parentSpanId);

/** Whether the span's trace holds the run of this job. */
const spanOfJob = (span: ReceivedSpan, id: string) =>
  otlp
    .named("process mme.generate")
    .some((s) => s.traceId === span.traceId && s.attributes["mme.job.id"] === id);

test("one trace runs from the submit through the worker to the webhook delivery", () => {
  const [submit] = otlp.named("POST /v1/jobs").filter((s) => spanOfJob(s, jobId));
  expect(submit, otlp.spans.map((s) => s.name).join(", ")).toBeDefined();
  expect(submit!.kind).toBe(SPAN_KIND_SERVER);
  expect(submit!.attributes["http.route"]).toBe("/v1/jobs");
  expect(submit!.service).toBe("mme-under-test");

  const generate = otlp.named("process mme.generate").filter((s) => s.attributes["mme.job.id"] === jobId);
  expect(generate).toHaveLength(1);
  expect(generate[0]!.kind).toBe(SPAN_KIND_CONSUMER);
  expect(generate[0]!.traceId).toBe(submit!.traceId);
  expect(generate[0]!.attributes["mme.job.model"]).toBe("dev-noop");

  const deliveries = otlp.named("process mme.webhook").filter((s) => s.traceId === submit!.traceId);
  expect(deliveries).toHaveLength(1);
  expect(deliveries[0]!.traceId).toBe(submit!.traceId);
  // The delivery was queued by the run that completed the job.
  expect(deliveries[0]!.parentSpanId).toBe(generate[0]!.spanId);
  expect(deliveries[0]!.attributes["http.response.status_code"]).toBe(200);

  // The http instrumentation traced the POST to the receiver inside the delivery, and told the receiver.
  const post = otlp.spans.filter(
    (s) =>
      s.kind === SPAN_KIND_CLIENT && s.attributes["http.request.method"] && parentOf(s) === deliveries[0],
  );
  expect(post).toHaveLength(1);
  expect(post[0]!.attributes["http.response.status_code"]).toBe(200);
  expect(hooks.at("/traced")[0]!.headers.traceparent).toContain(submit!.traceId);
});

test("the undici instrumentation traces a hosted provider's request inside the job's run", () => {
  const [run] = otlp.named("process mme.generate").filter((s) => s.attributes["mme.job.id"] === hostedJobId);
  expect(run).toBeDefined();
  const calls = otlp.spans.filter((s) => s.kind === SPAN_KIND_CLIENT && s.parentSpanId === run!.spanId);
  const provider = calls.find((s) => String(s.attributes["url.full"] ?? "").startsWith(fake.url));
  expect(provider, calls.map((s) => s.name).join(", ")).toBeDefined();
  expect(provider!.attributes["http.response.status_code"]).toBe(200);
  // The request's authorization header is not recorded.
  expect(JSON.stringify(otlp.spans)).not.toContain("sk-test-openai");
  // The fake saw the trace context: the provider's own traces could join this one.
  expect(fake.seen.find((r) => r.path === "/v1/images/generations")?.headers.traceparent).toContain(
    run!.traceId,
  );
});

test("the pg instrumentation traces the queries of the traced work, and only those", () => {
  const [submit] = otlp.named("POST /v1/jobs").filter((s) => spanOfJob(s, jobId));
  const queries = otlp.spans.filter((s) => s.attributes["db.system.name"] ?? s.attributes["db.system"]);
  const inTrace = queries.filter((s) => s.traceId === submit!.traceId);
  expect(inTrace.length).toBeGreaterThan(0);
  // The write of the job and its queue entry, under the submit.
  expect(inTrace.some((s) => parentOf(s)?.spanId === submit!.spanId)).toBe(true);
  // Polls, heartbeats and LISTEN run outside any trace and make no spans of their own.
  expect(queries.every((s) => s.parentSpanId)).toBe(true);
});

test("an MCP tool call is a span named by the MCP conventions, under the client's trace, an isError result an error", () => {
  const call = otlp.named("tools/call get_job_status").find((span) => span.traceId === mcpTraceId);
  expect(call).toBeDefined();
  expect(call!.kind).toBe(SPAN_KIND_SERVER);
  expect(call!.traceId).toBe(mcpTraceId);
  expect(call!.parentSpanId).toBe("00f067aa0ba902b7");
  expect(call!.attributes).toMatchObject({
    "mcp.method.name": "tools/call",
    "gen_ai.tool.name": "get_job_status",
    "gen_ai.operation.name": "execute_tool",
    "jsonrpc.request.id": "42",
    "network.transport": "tcp",
    "error.type": "tool_error",
  });
  expect(call!.status.code).toBe(STATUS_ERROR);
  expect(call!.status.message).toContain("not_found");
  // The HTTP request that carried it is linked.
  const [http] = otlp.named("POST /mcp");
  expect(call!.links.map((l) => l.spanId)).toContain(http!.spanId);
});

test("a 2026-07-28 tool call is the same span, under its client's trace", () => {
  const call = otlp.named("tools/call get_job_status").find((span) => span.traceId === modernTraceId);
  expect(call).toBeDefined();
  expect(call!.parentSpanId).toBe("10f067aa0ba902b7");
  expect(call!.attributes).toMatchObject({
    "mcp.method.name": "tools/call",
    "jsonrpc.request.id": "43",
    "network.transport": "tcp",
    "error.type": "tool_error",
  });
});

test("only traces are sent: no metrics or logs exports, and no span carries the API key or an asset's signature", () => {
  expect(otlp.otherPaths).toEqual([]);
  expect(JSON.stringify(otlp.spans)).not.toContain(KEY);
  const [download] = otlp.named("GET /assets/{file}");
  expect(download).toBeDefined();
  expect(JSON.stringify(otlp.spans)).not.toContain(assetSig);
});
