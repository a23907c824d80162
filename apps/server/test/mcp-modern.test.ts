import type { Job } from "@mcpmediaengine/contract";
import { Client as ModernClient, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as LegacyTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { imageSize } from "image-size";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";
import { pngSize } from "./mcp-client";

// Protocol 2026-07-28 on /mcp: stateless, beside the 2025-11-25 sessions (mcp-http.test.ts), same tools.

const MODERN = "2026-07-28";
const TASKS = "io.modelcontextprotocol/tasks";

let server: TestServer;
const closers: (() => Promise<void>)[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await server.stop();
});

async function modernClient(key = server.key): Promise<ModernClient> {
  const client = new ModernClient(
    { name: "modern-test", version: "1.0.0" },
    { versionNegotiation: { mode: { pin: MODERN } } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  closers.push(() => client.close());
  return client;
}

/** One raw 2026-07-28 request, with the routing headers and the `_meta` envelope a client sends. */
async function rpc(
  method: string,
  params: Record<string, unknown>,
  options: { name?: string; tasks?: boolean; key?: string } = {},
) {
  const capabilities = options.tasks ? { extensions: { [TASKS]: {} } } : {};
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.key ?? server.key}`,
    accept: "application/json, text/event-stream",
    "content-type": "application/json",
    "mcp-protocol-version": MODERN,
    "mcp-method": method,
  };
  if (options.name) headers["mcp-name"] = options.name;
  const response = await fetch(`${server.url}/mcp`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method,
      params: {
        ...params,
        _meta: {
          "io.modelcontextprotocol/protocolVersion": MODERN,
          "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
          "io.modelcontextprotocol/clientCapabilities": capabilities,
        },
      },
    }),
  });
  const text = await response.text();
  const body = JSON.parse(text.startsWith("event:") || text.startsWith("data:") ? lastData(text) : text);
  return { status: response.status, headers: response.headers, body };
}

function lastData(sse: string): string {
  const lines = sse.split("\n").filter((line) => line.startsWith("data:"));
  return lines.at(-1)!.slice(5);
}

test("a 2026-07-28 client discovers the server and gets the same tools as a 2025-11-25 client, with no session", async () => {
  const modern = await modernClient();
  expect(modern.getProtocolEra()).toBe("modern");
  const legacy = new Client({ name: "legacy-test", version: "1.0.0" });
  await legacy.connect(
    new LegacyTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${server.key}` } },
    }),
  );
  closers.push(() => legacy.close());
  const names = (tools: { name: string }[]) => tools.map((t) => t.name).sort();
  const modernTools = (await modern.listTools()).tools;
  const legacyTools = (await legacy.listTools()).tools;
  expect(names(modernTools)).toEqual(names(legacyTools));
  const schemaOf = (tools: typeof modernTools, name: string) =>
    (tools.find((t) => t.name === name) as { inputSchema: { properties: object } }).inputSchema.properties;
  expect(Object.keys(schemaOf(modernTools, "generate_image"))).toEqual(
    Object.keys(schemaOf(legacyTools as typeof modernTools, "generate_image")),
  );

  const discover = await rpc("server/discover", {});
  expect(discover.status).toBe(200);
  expect(discover.headers.get("mcp-session-id")).toBeNull();
  expect(discover.body.result.supportedVersions).toContain(MODERN);
  expect(discover.body.result.capabilities.extensions).toHaveProperty([TASKS]);
  expect(discover.body.result._meta["io.modelcontextprotocol/serverInfo"].name).toBe("mcp-media-engine");
  // Cacheable results: the tool list is the same for everyone for a while.
  const listed = await rpc("tools/list", {});
  expect(listed.body.result).toMatchObject({ resultType: "complete", cacheScope: "public" });
  expect(listed.body.result.ttlMs).toBeGreaterThan(0);
});

test("over 2026-07-28: generate_image, wait_for_job with progress, the asset resource byte-exact", async () => {
  const client = await modernClient();
  const submitted = await client.callTool({
    name: "generate_image",
    arguments: { prompt: "A lighthouse at dawn", preset: "blog_thumbnail" },
  });
  const { jobId, status } = submitted.structuredContent as unknown as Job;
  expect(status).toBe("queued");
  let job: Job | undefined;
  const progress: number[] = [];
  for (let i = 0; i < 20 && !["completed", "failed", "canceled"].includes(job?.status ?? ""); i++) {
    const waited = await client.callTool(
      { name: "wait_for_job", arguments: { jobId, timeoutSeconds: 5 } },
      { onprogress: (p) => progress.push(p.progress) },
    );
    job = waited.structuredContent as unknown as Job;
  }
  expect(job!.status).toBe("completed");
  expect(progress.at(-1)).toBe(100);
  const status2 = await client.callTool({ name: "get_job_status", arguments: { jobId } });
  const link = status2.content.find((c) => c.type === "resource_link") as { uri: string };
  const preview = status2.content.find((c) => c.type === "image") as { data: string };
  expect(Buffer.from(preview.data, "base64").length).toBeLessThan(40_000);
  const read = await client.readResource({ uri: link.uri });
  const png = Buffer.from((read.contents[0] as { blob: string }).blob, "base64");
  expect(pngSize(png)).toEqual({ width: 1200, height: 630 });
  expect(png.length).toBe(job!.result!.assets[0]!.bytes);
});

test("Tasks extension: a client that declares it gets a task whose id is the job's; get, update and cancel map to the job", async () => {
  const args = { prompt: "A slow harbour", width: 512, height: 512 };
  const created = await rpc(
    "tools/call",
    { name: "generate_image", arguments: args },
    { name: "generate_image", tasks: true },
  );
  expect(created.status).toBe(200);
  const task = created.body.result;
  expect(task).toMatchObject({ resultType: "task", status: "working", ttlMs: null });
  expect(task.pollIntervalMs).toBeGreaterThan(0);
  expect(task.taskId).toMatch(/^job_/);
  const job = (await (await server.api(`/v1/jobs/${task.taskId}`)).json()) as Job;
  expect(job.jobId).toBe(task.taskId);

  const get = () => rpc("tasks/get", { taskId: task.taskId }, { name: task.taskId, tasks: true });
  await expect.poll(async () => (await get()).body.result.status, { timeout: 30_000 }).toBe("completed");
  const got = await get();
  expect(got.body.result).toMatchObject({ taskId: task.taskId, status: "completed", resultType: "complete" });
  expect(got.body.result.result.structuredContent.status).toBe("completed");
  expect(got.body.result.result.content.some((c: { type: string }) => c.type === "resource_link")).toBe(true);

  const updated = await rpc(
    "tasks/update",
    { taskId: task.taskId, inputResponses: {} },
    { name: task.taskId, tasks: true },
  );
  expect(updated.body.result).toMatchObject({ resultType: "complete" });

  // Cancel a second one: the job is canceled and its task reports it.
  const second = (
    await rpc(
      "tools/call",
      { name: "generate_video", arguments: { prompt: "x", durationSeconds: 15 } },
      {
        name: "generate_video",
        tasks: true,
      },
    )
  ).body.result;
  expect(second.resultType).toBe("task");
  const canceled = await rpc("tasks/cancel", { taskId: second.taskId }, { name: second.taskId, tasks: true });
  expect(canceled.body.result).toMatchObject({ resultType: "complete" });
  const after = await rpc("tasks/get", { taskId: second.taskId }, { name: second.taskId, tasks: true });
  expect(["cancelled", "completed"]).toContain(after.body.result.status);
  const secondJob = (await (await server.api(`/v1/jobs/${second.taskId}`)).json()) as Job;
  if (after.body.result.status === "cancelled") expect(secondJob.status).toBe("canceled");

  // tasks/* belong to the extension: without it they are refused, HTTP 400 with -32021 naming what is missing.
  const undeclared = await rpc("tasks/get", { taskId: task.taskId }, { name: task.taskId });
  expect(undeclared.status).toBe(400);
  expect(undeclared.body.error.code).toBe(-32021);
  expect(undeclared.body.error.data.requiredCapabilities.extensions).toHaveProperty([TASKS]);

  // Another account does not see the task.
  const other = await server.newKey();
  const foreign = await rpc(
    "tasks/get",
    { taskId: task.taskId },
    { name: task.taskId, tasks: true, key: other },
  );
  expect(foreign.body.error.code).toBe(-32602);
});

test("a 2026-07-28 client that does not declare Tasks gets the job at once, as today", async () => {
  const plain = await rpc(
    "tools/call",
    { name: "generate_image", arguments: { prompt: "No tasks here" } },
    { name: "generate_image" },
  );
  expect(plain.body.result.resultType).toBe("complete");
  expect(plain.body.result.structuredContent.status).toBe("queued");
});

test("2026-07-28 errors: a routing header that disagrees with the body is 400 -32020; no key is 401", async () => {
  const mismatch = await rpc("tools/list", {}, { name: "wrong" });
  // Mcp-Name is not defined for tools/list: sending one that disagrees is refused like any mismatch.
  const wrongTool = await rpc(
    "tools/call",
    { name: "get_account", arguments: {} },
    { name: "generate_image" },
  );
  expect(wrongTool.status).toBe(400);
  expect(wrongTool.body.error.code).toBe(-32020);
  expect([200, 400]).toContain(mismatch.status);
  const response = await fetch(`${server.url}/mcp`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "mcp-protocol-version": MODERN,
      "mcp-method": "server/discover",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "server/discover", params: {} }),
  });
  expect(response.status).toBe(401);
});

test("outputs stay small: links, signed URLs and a small preview, never the full image, in every job tool", async () => {
  const client = await modernClient();
  const submitted = await client.callTool({
    name: "generate_image",
    arguments: { prompt: "A big square", width: 1536, height: 1536 },
  });
  expect(JSON.stringify(submitted).length).toBeLessThan(4_000);
  const { jobId } = submitted.structuredContent as unknown as Job;
  let waited = submitted;
  for (let i = 0; i < 20 && (waited.structuredContent as unknown as Job).status !== "completed"; i++) {
    waited = await client.callTool({ name: "wait_for_job", arguments: { jobId, timeoutSeconds: 5 } });
  }
  const job = waited.structuredContent as unknown as Job;
  expect(job.status).toBe("completed");
  const asset = job.result!.assets[0]!;
  expect(asset.bytes).toBeGreaterThan(100_000);
  const status = await client.callTool({ name: "get_job_status", arguments: { jobId } });
  for (const result of [waited, status]) {
    const link = result.content.find((c) => c.type === "resource_link") as {
      uri: string;
      description: string;
    };
    expect(link.uri).toBe(`asset://${asset.assetId}`);
    expect(link.description).toContain(asset.url);
    const images = result.content.filter((c) => c.type === "image") as { data: string }[];
    expect(images).toHaveLength(1);
    const preview = imageSize(Buffer.from(images[0]!.data, "base64"));
    expect(Math.max(preview.width, preview.height)).toBeLessThanOrEqual(256);
    expect(JSON.stringify(result).length).toBeLessThan(48_000);
  }

  const listed = await client.callTool({ name: "list_jobs", arguments: { limit: 20 } });
  expect(listed.content.some((c) => c.type === "image" || c.type === "audio")).toBe(false);
  const text = (listed.content[0] as { text: string }).text;
  expect(text).toContain(`${jobId} image completed`);
  expect(text).not.toContain("{");
  const links = listed.content.filter((c) => c.type === "resource_link") as { uri: string }[];
  expect(links.map((l) => l.uri)).toContain(`asset://${asset.assetId}`);
  // Per job, the list costs a line and a link, not the job's JSON twice.
  const jobs = (listed.structuredContent as { data: Job[] }).data;
  expect(JSON.stringify(listed.content).length).toBeLessThan(jobs.length * 700 + 200);
});
