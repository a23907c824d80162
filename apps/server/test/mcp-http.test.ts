import type { Job } from "@mcpmediaengine/contract";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  type ReadResourceResult,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";
import { callTool, generateAndWait, pngSize } from "./mcp-client";

let server: TestServer;
const clients: Client[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.stop();
});

async function connect(key: string | null = server.key): Promise<Client> {
  const client = new Client({ name: "test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
    requestInit: { headers: key ? { authorization: `Bearer ${key}` } : {} },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

test("the blog-hero use case over HTTP: generate_image, wait_for_job, the resource link, resources/read gives a 1200×630 PNG", async () => {
  const client = await connect();
  const { submitted, waited, job } = await generateAndWait(client, {
    prompt: "Ten lessons from a year of shipping agents",
    preset: "blog_thumbnail",
  });
  expect((submitted.structuredContent as unknown as Job).status).toBe("queued");
  expect(submitted.content[0]).toMatchObject({ type: "text" });
  expect((submitted.content[0] as { text: string }).text).toMatch(/wait_for_job/);
  expect(job.status).toBe("completed");
  const link = waited.content.find((c) => c.type === "resource_link") as { uri: string; mimeType: string };
  expect(link.uri).toBe(`asset://${job.result!.assets[0]!.assetId}`);
  expect(link.mimeType).toBe("image/png");
  const preview = waited.content.find((c) => c.type === "image") as { data: string; mimeType: string };
  expect(preview.mimeType).toBe("image/webp");
  expect(Buffer.from(preview.data, "base64").length).toBeLessThan(40_000);

  const read = (await client.readResource({ uri: link.uri })) as ReadResourceResult;
  const blob = read.contents[0] as { blob: string; mimeType: string };
  expect(blob.mimeType).toBe("image/png");
  const png = Buffer.from(blob.blob, "base64");
  expect(pngSize(png)).toEqual({ width: 1200, height: 630 });
  expect(png.length).toBe(job.result!.assets[0]!.bytes);

  const asJob = (await client.readResource({ uri: `job://${job.jobId}` })) as ReadResourceResult;
  expect(JSON.parse((asJob.contents[0] as { text: string }).text)).toMatchObject({ jobId: job.jobId });
});

test("wait_for_job sends progress to a client that asks, and returns within its bound while the job runs on", async () => {
  const client = await connect();
  const submitted = await callTool(client, "generate_image", { prompt: "sleep 4000", model: "dev-sleep" });
  const { jobId } = submitted.structuredContent as unknown as Job;
  const progress: number[] = [];
  const result = await client.callTool(
    { name: "wait_for_job", arguments: { jobId, timeoutSeconds: 1 } },
    undefined,
    {
      onprogress: (p) => progress.push(p.progress),
    },
  );
  expect(["queued", "processing"]).toContain((result.structuredContent as unknown as Job).status);
  expect(progress.length).toBeGreaterThan(0);
  expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  await callTool(client, "cancel_job", { jobId });
});

test("failures are tool results with isError and the contract's code, never protocol errors", async () => {
  const client = await connect();
  const missing = await callTool(client, "get_job_status", { jobId: "job_0000000000aaaaaaaaaaaaaa" });
  expect(missing.isError).toBe(true);
  expect(JSON.parse((missing.content[0] as { text: string }).text).error.code).toBe("not_found");
  // A hosted model whose provider has no key on this server.
  const video = await callTool(client, "generate_video", { prompt: "a wave", model: "seedance-video" });
  expect(video.isError).toBe(true);
  expect(JSON.parse((video.content[0] as { text: string }).text).error.code).toBe("model_unavailable");
  const tooWide = await callTool(client, "generate_image", { prompt: "x", width: 50_000 });
  expect(tooWide.isError).toBe(true);
});

test("tools are described, read-only ones marked, and every input schema is the REST operation's", async () => {
  const client = await connect();
  const { tools } = await client.listTools();
  const byName = new Map(tools.map((t) => [t.name, t]));
  expect([...byName.keys()].sort()).toEqual(
    [
      "cancel_job",
      "estimate_cost",
      "generate_audio",
      "generate_image",
      "generate_video",
      "get_account",
      "get_job_status",
      "list_jobs",
      "wait_for_job",
    ].sort(),
  );
  for (const tool of tools) {
    expect(tool.description?.length).toBeGreaterThan(40);
    expect(tool.outputSchema).toBeDefined();
  }
  for (const name of ["get_job_status", "wait_for_job", "list_jobs", "estimate_cost", "get_account"]) {
    expect(byName.get(name)!.annotations?.readOnlyHint).toBe(true);
  }
  expect(byName.get("generate_image")!.annotations?.readOnlyHint).toBe(false);

  const openapi = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, OpenApiOperation>>;
  };
  const body = (path: string) =>
    openapi.paths[path]!.post!.requestBody!.content["application/json"]!.schema as JsonSchema;
  const params = (path: string, method: "get" | "post") =>
    Object.fromEntries(
      // The operation's own fields; a header such as Idempotency-Key (a $ref) is the transport's.
      openapi.paths[path]![method]!.parameters!.filter((p) => p.schema).map((p) => [
        p.name,
        { ...p.schema, description: p.description ?? p.schema.description },
      ]),
    );
  const props = (name: string) => byName.get(name)!.inputSchema.properties as Record<string, JsonSchema>;

  // POST /v1/jobs documents one request per media type; each generate tool takes its type's, less `type`.
  const requests = (body("/jobs").oneOf ?? body("/jobs").anyOf)!;
  for (const type of ["image", "video", "audio"]) {
    const request = requests.find((r) => (r.properties!.type as { const?: string }).const === type)!;
    const { type: _, ...fields } = request.properties!;
    expect(props(`generate_${type}`)).toEqual(fields);
  }
  expect(body("/jobs/estimate")).toEqual(body("/jobs"));
  // estimate_cost shows the whole job request: type (required) and every field of every type's request.
  const estimate = byName.get("estimate_cost")!.inputSchema as JsonSchema & { required?: string[] };
  expect(estimate.required).toEqual(["type", "prompt"]);
  const everyField = new Set(requests.flatMap((r) => Object.keys(r.properties!)));
  expect(Object.keys(estimate.properties!).sort()).toEqual([...everyField].sort());
  expect(estimate.properties!.seed).toEqual(props("generate_image").seed);
  expect(comparable(props("list_jobs"))).toEqual(comparable(params("/jobs", "get")));
  expect(comparable(props("get_job_status"))).toEqual(comparable(params("/jobs/{jobId}", "get")));
  expect(comparable(props("cancel_job"))).toEqual(comparable(params("/jobs/{jobId}/cancel", "post")));
});

test("over HTTP: no key is 401; another account's job is not found; another account cannot use a session", async () => {
  const noKey = await fetch(`${server.url}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  expect(noKey.status).toBe(401);
  expect(((await noKey.json()) as { error: { code: string } }).error.code).toBe("unauthorized");

  const owner = await connect();
  const { structuredContent } = await callTool(owner, "generate_image", {
    prompt: "mine",
    model: "dev-noop",
  });
  const { jobId } = structuredContent as unknown as Job;
  const otherKey = await server.newKey();
  const stranger = await connect(otherKey);
  const seen = await callTool(stranger, "get_job_status", { jobId });
  expect(seen.isError).toBe(true);
  expect(JSON.parse((seen.content[0] as { text: string }).text).error.code).toBe("not_found");
  await expect(stranger.readResource({ uri: `job://${jobId}` })).rejects.toThrow();

  // The owner's session id under the stranger's key is no session at all.
  const sessionId = (owner.transport as StreamableHTTPClientTransport).sessionId!;
  const hijack = await fetch(`${server.url}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${otherKey}`,
      "mcp-session-id": sessionId,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  expect(hijack.status).toBe(404);
});

test("a client that keeps no session can still call a tool", async () => {
  const response = await fetch(`${server.url}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${server.key}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "get_account", arguments: {} },
    }),
  });
  expect(response.status).toBe(200);
  const answer = (await response.json()) as { id: number; result: { structuredContent: { plan: string } } };
  expect(answer.id).toBe(7);
  expect(answer.result.structuredContent.plan).toBe("enterprise");
});

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  [key: string]: unknown;
}
interface OpenApiOperation {
  requestBody?: { content: Record<string, { schema: unknown }> };
  parameters?: { name: string; description?: string; schema: Record<string, unknown> }[];
}

/** Query and path parameters arrive as strings, so REST coerces them; the tool and the REST docs agree on the rest. */
function comparable(schemas: Record<string, JsonSchema>) {
  return Object.fromEntries(
    Object.entries(schemas).map(([name, s]) => [
      name,
      { description: s.description, type: s.type, enum: s.enum },
    ]),
  );
}

test("MCP Tasks: a task-augmented generate_image is a task bound to its job, through tasks/get to tasks/result; tasks/cancel cancels the job; a plain call still answers at once", async () => {
  const client = await connect();
  const { tools } = await client.listTools();
  expect(tools.find((t) => t.name === "generate_image")!.execution?.taskSupport).toBe("optional");

  const created = await client.request(
    {
      method: "tools/call",
      params: {
        name: "generate_image",
        arguments: { prompt: "sleep 300", model: "dev-sleep" },
        task: { ttl: 60_000 },
      },
    },
    CreateTaskResultSchema,
  );
  const taskId = created.task.taskId;
  expect(taskId).toMatch(/^job_/);
  expect(created.task.status).toBe("working");
  const seen = await client.experimental.tasks.getTask(taskId);
  expect(["working", "completed"]).toContain(seen.status);
  const result = await client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
  expect((result.structuredContent as unknown as Job).status).toBe("completed");
  expect(result.content.some((c) => c.type === "resource_link")).toBe(true);
  expect((await client.experimental.tasks.getTask(taskId)).status).toBe("completed");

  // The same job, seen through REST.
  expect(((await (await server.api(`/v1/jobs/${taskId}`)).json()) as Job).status).toBe("completed");

  const long = await client.request(
    {
      method: "tools/call",
      params: {
        name: "generate_image",
        arguments: { prompt: "sleep 5000", model: "dev-sleep" },
        task: { ttl: 60_000 },
      },
    },
    CreateTaskResultSchema,
  );
  const cancelled = await client.experimental.tasks.cancelTask(long.task.taskId);
  expect(cancelled.status).toBe("cancelled");
  expect(((await (await server.api(`/v1/jobs/${long.task.taskId}`)).json()) as Job).status).toBe("canceled");

  // A refused submission is a failed task whose result carries the error code.
  const refused = await client.request(
    {
      method: "tools/call",
      params: {
        name: "generate_video",
        arguments: { prompt: "x", model: "seedance-video" },
        task: { ttl: 60_000 },
      },
    },
    CreateTaskResultSchema,
  );
  expect(refused.task.status).toBe("failed");
  const why = await client.experimental.tasks.getTaskResult(refused.task.taskId, CallToolResultSchema);
  expect(why.isError).toBe(true);
  expect(JSON.parse((why.content[0] as { text: string }).text).error.code).toBe("model_unavailable");

  // Without task augmentation the tool answers at once with the queued job, as before.
  // (The job sleeps ten minutes: an answer that waited for it would never come within the test's time.)
  const plain = await callTool(client, "generate_image", { prompt: "sleep 600000", model: "dev-sleep" });
  expect(["queued", "processing"]).toContain((plain.structuredContent as unknown as Job).status);
  await callTool(client, "cancel_job", { jobId: (plain.structuredContent as unknown as Job).jobId });
});

test("video and speech over MCP: a clip comes with its poster as the preview, short speech inline", async () => {
  const client = await connect();
  const started = await callTool(client, "generate_video", {
    prompt: "a lighthouse at night",
    durationSeconds: 2,
    voiceover: { script: "The light turns all night." },
  });
  const { jobId } = started.structuredContent as unknown as Job;
  const progress: { progress: number; total?: number }[] = [];
  const waited = await client.callTool(
    { name: "wait_for_job", arguments: { jobId, timeoutSeconds: 50 } },
    undefined,
    { onprogress: (p) => progress.push({ progress: p.progress, total: p.total }), timeout: 60_000 },
  );
  expect((waited.structuredContent as unknown as Job).status).toBe("completed");
  const content = waited.content as { type: string; mimeType?: string; data?: string }[];
  expect(content.filter((c) => c.type === "resource_link").map((c) => c.mimeType)).toEqual([
    "video/mp4",
    "image/png",
  ]);
  const preview = content.find((c) => c.type === "image")!;
  expect(preview.mimeType).toBe("image/webp");
  expect(progress.length).toBeGreaterThan(0);
  expect(progress.every((p) => p.total === 100 && p.progress <= 100)).toBe(true);
  expect(progress.at(-1)!.progress).toBe(100);
  for (let i = 1; i < progress.length; i++)
    expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress);

  const speech = await callTool(client, "generate_audio", { prompt: "Short and sweet.", format: "mp3" });
  const spoken = await callTool(client, "wait_for_job", {
    jobId: (speech.structuredContent as unknown as Job).jobId,
  });
  const audio = (spoken.content as { type: string; mimeType?: string; data?: string }[]).find(
    (c) => c.type === "audio",
  )!;
  expect(audio.mimeType).toBe("audio/mpeg");
  // Resource links are named with the files' real extensions, not their media subtypes (.mpeg, .x-subrip).
  const names = (spoken.content as { type: string; name?: string }[])
    .filter((c) => c.type === "resource_link")
    .map((c) => c.name!.replace(/^ast_\w+/, ""));
  expect(names).toEqual([".mp3", ".srt", ".vtt", ".json"]);
  const mp3 = Buffer.from(audio.data!, "base64");
  const asset = (spoken.structuredContent as unknown as Job).result!.assets[0]!;
  expect(mp3.length).toBe(asset.bytes);
}, 90_000);
