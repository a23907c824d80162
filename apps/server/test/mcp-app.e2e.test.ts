import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Job } from "@mcpmediaengine/contract";
import { createLog } from "@mcpmediaengine/engine";
import { APP_MIME_TYPE, APP_URI } from "@mcpmediaengine/mcp-app";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import { build } from "esbuild";
import { type Browser, chromium, type FrameLocator, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type RunningEngine, startEngine } from "../src/boot/start";
import { readEnv } from "../src/env";
import { startTestServer, type TestServer } from "./harness";
import { callTool } from "./mcp-client";

// The in-chat gallery (MCP Apps) played through a host: Chromium loads a page that embeds our ui:// resource in
// a sandboxed iframe under the CSP the resource declares, talks to it with ext-apps' AppBridge, and forwards the
// view's tool calls to our real /mcp. The engine runs without a worker at first, so a job stays queued until the
// test starts one: the view is seen following a job live, cancelling it, and starting another with a new seed.

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let server: TestServer;
let worker: RunningEngine | undefined;
let client: Client;
let hostServer: Server;
let browser: Browser;
let page: Page;
let view: FrameLocator;
let csp: { resourceDomains: string[]; connectDomains: string[] };
/** Every tools/call the view made through the host, in order. */
const calls: { name: string; args: Record<string, unknown> }[] = [];
const problems: string[] = [];

/** What the host page (mcp-app-host/host.ts) sets on its window; this file is typed without the DOM. */
interface HostWindow {
  viewReady: boolean;
  downloads: unknown[];
  sendToolResult(result: unknown): Promise<void>;
  sendToolInput(args: Record<string, unknown>): Promise<void>;
}
/** The fields of <img>, <audio> and <video> read here. */
interface Media {
  complete: boolean;
  naturalWidth: number;
  readyState: number;
  videoWidth: number;
}

/** The CSP a host builds from the resource's declared domains (as ext-apps' basic-host does). */
function hostCsp(declared: typeof csp): string {
  const media = ["data:", ...declared.resourceDomains].join(" ");
  const connect = declared.connectDomains.length ? declared.connectDomains.join(" ") : "'none'";
  return `default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src ${media}; media-src ${media}; font-src ${media}; connect-src ${connect}; frame-src 'none'; base-uri 'none'`;
}

beforeAll(async () => {
  server = await startTestServer({ role: "api" });
  client = new Client({ name: "mcp-app-host-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${server.key}` } },
    }),
  );
  const read = (await client.readResource({ uri: APP_URI })) as ReadResourceResult;
  const resource = read.contents[0] as unknown as {
    text: string;
    mimeType: string;
    _meta: { ui: { csp: typeof csp } };
  };
  expect(resource.mimeType).toBe(APP_MIME_TYPE);
  csp = resource._meta.ui.csp;
  const bundle = await build({
    entryPoints: [join(import.meta.dirname, "mcp-app-host", "host.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
  });
  const hostScript = bundle.outputFiles[0]!.text.replaceAll("</script", "<\\/script");
  hostServer = createServer((request, response) => {
    if (request.url === "/view.html") {
      response.writeHead(200, { "content-type": "text/html", "content-security-policy": hostCsp(csp) });
      response.end(resource.text);
    } else {
      response.writeHead(200, { "content-type": "text/html" });
      response.end(
        `<!doctype html><title>host</title><iframe id="view" sandbox="allow-scripts" style="width:900px;height:1200px;border:0"></iframe><script type="module">${hostScript}</script>`,
      );
    }
  });
  await new Promise<void>((r) => hostServer.listen(0, "127.0.0.1", r));
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
  page = await browser.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  await page.exposeFunction("hostCallTool", async (name: string, args: Record<string, unknown>) => {
    calls.push({ name, args });
    return client.callTool({ name, arguments: args });
  });
  await page.exposeFunction("hostReadResource", (uri: string) => client.readResource({ uri }));
  await page.goto(`http://127.0.0.1:${(hostServer.address() as AddressInfo).port}/`);
  await page.waitForFunction(() => (globalThis as unknown as HostWindow).viewReady);
  view = page.frameLocator("#view");
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await client?.close();
  await new Promise((r) => hostServer?.close(r));
  await worker?.stop();
  await server?.stop();
});

test("the tools link the gallery, and the resource declares the asset origin in its CSP", async () => {
  const { tools } = await client.listTools();
  const linked = tools.filter(
    (tool) => (tool._meta?.ui as { resourceUri?: string })?.resourceUri === APP_URI,
  );
  expect(linked.map((tool) => tool.name).sort()).toEqual(
    ["generate_audio", "generate_image", "generate_video", "list_jobs", "wait_for_job"].sort(),
  );
  expect(csp.resourceDomains).toEqual([new URL(server.url).origin]);
  expect(csp.connectDomains).toEqual([]);
});

test("a queued job is followed live, canceled from the view, and made again with a new seed", async () => {
  const args = { prompt: "A lighthouse at dusk", seed: 7 };
  // The host hands the view the call's arguments first, then its result.
  await page.evaluate((a) => (globalThis as unknown as HostWindow).sendToolInput(a), args);
  await expect.poll(() => view.getByText("Starting: A lighthouse at dusk").count()).toBe(1);
  const submitted = await callTool(client, "generate_image", args);
  const job = submitted.structuredContent as unknown as Job;
  await page.evaluate(
    (result) => (globalThis as unknown as HostWindow).sendToolResult(result),
    submitted as never,
  );
  const shown = view.locator(`[data-job-id="${job.jobId}"]`);
  await expect.poll(() => shown.getAttribute("data-status")).toBe("queued");
  await expect.poll(() => view.getByRole("progressbar").count()).toBe(1);
  // While it is queued the view waits on it through the host, with wait_for_job.
  await expect
    .poll(() => calls.some((c) => c.name === "wait_for_job" && c.args.jobId === job.jobId))
    .toBe(true);

  await view.getByRole("button", { name: "Cancel" }).click();
  await expect.poll(() => shown.getAttribute("data-status")).toBe("canceled");
  expect(calls.filter((c) => c.name === "cancel_job")).toEqual([
    { name: "cancel_job", args: { jobId: job.jobId } },
  ]);

  await view.getByRole("button", { name: "Another with a new seed" }).click();
  await expect.poll(() => calls.filter((c) => c.name === "generate_image").length).toBe(1);
  const again = calls.find((c) => c.name === "generate_image")!;
  expect(again.args).toMatchObject({
    prompt: "A lighthouse at dusk",
    width: 1024,
    height: 1024,
    format: "png",
  });
  expect(again.args.seed).not.toBe(7);
  const next = view.locator("[data-job-id]");
  await expect.poll(() => next.getAttribute("data-job-id")).not.toBe(job.jobId);
  const nextId = (await next.getAttribute("data-job-id"))!;

  // A worker starts: the view, still following, shows the new job completed and its image loaded.
  worker = await startEngine(
    readEnv({
      DATABASE_URL: server.t.connectionString,
      PORT: "0",
      MME_DATA_DIR: server.dataDir,
      MME_DEV_MODELS: "1",
    }),
    "worker",
    createLog("silent"),
  );
  await expect.poll(() => next.getAttribute("data-status"), { timeout: 60_000 }).toBe("completed");
  expect(await next.getAttribute("data-job-id")).toBe(nextId);
  const image = view.locator(".media-frame img");
  await expect
    .poll(
      () =>
        image.evaluate((img) => (img as unknown as Media).complete && (img as unknown as Media).naturalWidth),
      {
        timeout: 20_000,
      },
    )
    .toBe(1024);

  await view.getByRole("button", { name: "Download" }).click();
  await expect
    .poll(() => page.evaluate(() => (globalThis as unknown as HostWindow).downloads.length))
    .toBe(1);
  const download = (await page.evaluate(() => (globalThis as unknown as HostWindow).downloads[0])) as {
    contents: { uri: string }[];
  };
  expect(download.contents[0]!.uri).toMatch(new RegExp(`^${server.url}/assets/`));
  expect(problems).toEqual([]);
});

test("speech plays with its captions, read through the host", async () => {
  const submitted = await callTool(client, "generate_audio", { prompt: "Hello there. This is a test." });
  const { jobId } = submitted.structuredContent as unknown as Job;
  const waited = await waitEnded(jobId);
  await page.evaluate(
    (result) => (globalThis as unknown as HostWindow).sendToolResult(result),
    waited as never,
  );
  const shown = view.locator(`[data-job-id="${jobId}"]`);
  await expect.poll(() => shown.getAttribute("data-status")).toBe("completed");
  await expect
    .poll(() => view.locator("audio").evaluate((a) => (a as unknown as Media).readyState >= 1))
    .toBe(true);
  await expect.poll(() => view.locator(".captions li").count()).toBeGreaterThan(0);
  expect(await view.locator(".captions").textContent()).toMatch(/Hello/);
  expect(problems).toEqual([]);
});

test("a clip plays in a video player with its poster", async () => {
  const submitted = await callTool(client, "generate_video", {
    prompt: "Waves on a shore",
    durationSeconds: 1,
  });
  const { jobId } = submitted.structuredContent as unknown as Job;
  const waited = await waitEnded(jobId);
  const job = waited.structuredContent as unknown as Job;
  expect(job.status).toBe("completed");
  await page.evaluate(
    (result) => (globalThis as unknown as HostWindow).sendToolResult(result),
    waited as never,
  );
  const video = view.locator(`[data-job-id="${jobId}"] video`);
  await expect
    .poll(() => video.getAttribute("poster"))
    .toBe(job.result!.assets.find((a) => a.role === "poster")!.url);
  await expect
    .poll(() =>
      video.evaluate((v) => (v as unknown as Media).readyState >= 1 && (v as unknown as Media).videoWidth),
    )
    .toBe(1280);
  expect(problems).toEqual([]);
});

test("list_jobs is a gallery grid; a tile opens its job", async () => {
  const listed = await callTool(client, "list_jobs", { limit: 10 });
  await page.evaluate(
    (result) => (globalThis as unknown as HostWindow).sendToolResult(result),
    listed as never,
  );
  await expect.poll(() => view.locator(".gallery .tile").count()).toBe(4);
  const completedImage = view.locator(".gallery .tile img").first();
  await expect
    .poll(() => completedImage.evaluate((img) => (img as unknown as Media).naturalWidth))
    .toBeGreaterThan(0);
  await view.locator(".gallery .tile").last().click();
  await expect.poll(() => view.locator("[data-status]").getAttribute("data-status")).toBe("canceled");
  await view.getByRole("button", { name: "← All jobs" }).click();
  await expect.poll(() => view.locator(".gallery .tile").count()).toBe(4);
  expect(problems).toEqual([]);
});

async function waitEnded(jobId: string) {
  for (;;) {
    const waited = await callTool(client, "wait_for_job", { jobId, timeoutSeconds: 10 });
    const job = waited.structuredContent as unknown as Job;
    if (["completed", "failed", "canceled"].includes(job.status)) return waited;
  }
}
