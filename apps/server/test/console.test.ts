import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { createLog } from "@mcpmediaengine/engine";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createApp } from "../src/http/app";
import { startTestServer, type TestServer } from "./harness";

let server: TestServer;
let app: ReturnType<typeof createApp>;
let bare: ReturnType<typeof createApp>;

beforeAll(async () => {
  server = await startTestServer();
  const dir = mkdtempSync(join(tmpdir(), "mme-console-"));
  mkdirSync(join(dir, "_app"));
  writeFileSync(
    join(dir, "index.html"),
    '<!doctype html><script type="module" src="/_app/main.js"></script>',
  );
  writeFileSync(join(dir, "_app", "main.js"), "console.log('app')");
  writeFileSync(join(dir, "favicon.svg"), "<svg/>");
  app = createApp({ engine: server.engine, log: createLog("silent"), consoleDir: dir });
  bare = createApp({ engine: server.engine, log: createLog("silent"), consoleDir: "/nonexistent-console" });
});
afterAll(async () => {
  await server?.stop();
});

test("/ serves the console's page with a policy that allows only our own origin", async () => {
  const response = await app.request("/");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/text\/html/);
  expect(await response.text()).toContain("/_app/main.js");
  const csp = response.headers.get("content-security-policy")!;
  expect(csp).toMatch(/default-src 'self'/);
  expect(csp).toMatch(/script-src 'self'(;|$)/);
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  expect(csp).toMatch(/frame-ancestors 'none'/);
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("cache-control")).toBe("no-cache");
});

test("client routes get the page; built files are cached for good", async () => {
  for (const path of ["/jobs", "/jobs/job_01m85n5jfts2y3gjf66rtf5w", "/playground?type=video"]) {
    const response = await app.request(path);
    expect(response.status, path).toBe(200);
    expect(await response.text()).toContain("/_app/main.js");
  }
  const script = await app.request("/_app/main.js");
  expect(script.headers.get("content-type")).toMatch(/text\/javascript/);
  expect(script.headers.get("cache-control")).toMatch(/immutable/);
  expect((await app.request("/favicon.svg")).headers.get("content-type")).toBe("image/svg+xml");
});

test("text files go out gzipped to clients that take it, as they are to others", async () => {
  const plain = await app.request("/_app/main.js");
  expect(plain.headers.get("content-encoding")).toBeNull();
  expect(await plain.text()).toBe("console.log('app')");
  const zipped = await app.request("/_app/main.js", { headers: { "accept-encoding": "gzip, br" } });
  expect(zipped.headers.get("content-encoding")).toBe("gzip");
  expect(zipped.headers.get("vary")).toBe("accept-encoding");
  const body = Buffer.from(await zipped.arrayBuffer());
  expect(gunzipSync(body).toString()).toBe("console.log('app')");
  expect(zipped.headers.get("content-length")).toBe(String(body.length));
});

test("the API's paths are never the console's: unknown ones stay JSON 404s", async () => {
  for (const path of [
    "/v1/nope",
    "/trpc/nope",
    "/auth/nope",
    "/assets/nope.png",
    "/docs/static/nope",
    "/mcp/x",
  ]) {
    const response = await app.request(path);
    expect(response.status, path).toBeGreaterThanOrEqual(400);
    expect(response.headers.get("content-type"), path).toMatch(/json/);
  }
  const health = await app.request("/healthz");
  expect(await health.json()).toMatchObject({ ok: true });
  expect((await app.request("/openapi.json")).headers.get("content-type")).toMatch(/json/);
});

test("missing files and paths outside the build are 404s, not the page", async () => {
  for (const path of [
    "/_app/gone.js",
    "/robots.txt",
    "/..%2f..%2fetc%2fpasswd",
    "/%2e%2e/%2e%2e/etc/hosts.txt",
  ]) {
    const response = await app.request(path);
    expect(response.status, path).toBe(404);
    expect(await response.text(), path).not.toMatch(/root:|localhost/);
  }
  expect((await app.request("/", { method: "POST" })).status).toBe(404);
});

test("without a build, / says how to build it", async () => {
  const response = await bare.request("/");
  expect(response.status).toBe(404);
  expect(await response.text()).toMatch(/pnpm start/);
});
