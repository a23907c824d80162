import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";

// DNS rebinding protection on /mcp: Origin and Host checks, for both protocol revisions.

let loopback: TestServer;
let everywhere: TestServer;
beforeAll(async () => {
  [loopback, everywhere] = await Promise.all([
    startTestServer(),
    startTestServer({ env: { HOST: "0.0.0.0", MME_MCP_ALLOWED_ORIGINS: "https://chat.example.com" } }),
  ]);
});
afterAll(async () => {
  await Promise.all([loopback?.stop(), everywhere?.stop()]);
});

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
};
const DISCOVER = {
  jsonrpc: "2.0",
  id: 1,
  method: "server/discover",
  params: {
    _meta: {
      "io.modelcontextprotocol/protocolVersion": "2026-07-28",
      "io.modelcontextprotocol/clientInfo": { name: "t", version: "1" },
      "io.modelcontextprotocol/clientCapabilities": {},
    },
  },
};

/** A POST to /mcp with the Host and Origin given (fetch cannot set Host, node:http can). */
function post(
  server: TestServer,
  body: typeof INITIALIZE | typeof DISCOVER,
  headers: { host?: string; origin?: string },
): Promise<number> {
  const url = new URL(`${server.url}/mcp`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: url.port,
        path: "/mcp",
        method: "POST",
        headers: {
          host: headers.host ?? url.host,
          ...(headers.origin && { origin: headers.origin }),
          authorization: `Bearer ${server.key}`,
          accept: "application/json, text/event-stream",
          "content-type": "application/json",
          "mcp-protocol-version": body.method === "initialize" ? "2025-11-25" : "2026-07-28",
          "mcp-method": body.method,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode!));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

test.each([
  ["2025-11-25", INITIALIZE],
  ["2026-07-28", DISCOVER],
] as const)(
  "bound to loopback (%s): a rebound Host or a foreign Origin is 403 even with a valid key; loopback passes",
  async (_revision, body) => {
    const evil = "evil.example.com";
    expect(await post(loopback, body, { host: evil, origin: `http://${evil}` })).toBe(403);
    expect(await post(loopback, body, { host: evil })).toBe(403);
    expect(await post(loopback, body, { origin: `http://${evil}` })).toBe(403);
    expect(await post(loopback, body, { origin: "null" })).toBe(403);
    expect(await post(loopback, body, {})).toBe(200);
    const port = new URL(loopback.url).port;
    expect(await post(loopback, body, { host: `localhost:${port}`, origin: "http://localhost:6274" })).toBe(
      200,
    );
    expect(await post(loopback, body, { host: `[::1]:${port}`, origin: `http://127.0.0.1:${port}` })).toBe(
      200,
    );
  },
);

test("bound to every interface: any Host, and only listed Origins (MME_MCP_ALLOWED_ORIGINS)", async () => {
  expect(await post(everywhere, DISCOVER, { host: "mcp.example.org" })).toBe(200);
  expect(await post(everywhere, DISCOVER, { origin: "https://chat.example.com" })).toBe(200);
  expect(await post(everywhere, INITIALIZE, { origin: "https://chat.example.com" })).toBe(200);
  expect(await post(everywhere, DISCOVER, { origin: "http://localhost:6274" })).toBe(403);
  expect(await post(everywhere, INITIALIZE, { origin: "https://evil.example.com" })).toBe(403);
});
