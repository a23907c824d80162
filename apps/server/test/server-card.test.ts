import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";

// The Server Card schema of SEP-2127 as the MCP Server Card working group publishes it: schema.json of
// github.com/modelcontextprotocol/experimental-ext-server-card at commit 8924e08682b4a936e6464b57845ec2ff17dc8776
// (2026-07-24), copied verbatim.
const schema = JSON.parse(
  readFileSync(new URL("./fixtures/server-card.schema.json", import.meta.url), "utf8"),
);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ role: "api" });
});
afterAll(() => server.stop());

function validator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  return ajv.compile({ ...schema, $ref: "#/$defs/ServerCard" });
}

test("the server card validates against the proposal's schema and describes the server, its transports, auth and tools", async () => {
  const response = await fetch(`${server.url}/mcp/server-card`, {
    headers: { accept: "application/mcp-server-card+json" },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/mcp-server-card+json");
  expect(response.headers.get("access-control-allow-origin")).toBe("*");
  expect(response.headers.get("cache-control")).toBe("public, max-age=3600");
  // biome-ignore lint/suspicious/noExplicitAny: a JSON document read field by field
  const card = (await response.json()) as any;
  const validate = validator();
  expect(validate(card), JSON.stringify(validate.errors)).toBe(true);

  expect(card.name).toBe("127.0.0.1/mcp-media-engine");
  expect(card.remotes).toEqual([
    expect.objectContaining({ type: "streamable-http", url: `${server.url}/mcp` }),
    expect.objectContaining({
      type: "sse",
      url: `${server.url}/sse`,
      supportedProtocolVersions: ["2024-11-05"],
    }),
  ]);
  // /mcp speaks both revisions: 2026-07-28 (newest, first) and the 2025-era ones.
  expect(card.remotes[0].supportedProtocolVersions).toEqual([
    "2026-07-28",
    "2025-11-25",
    "2025-06-18",
    "2025-03-26",
  ]);
  const meta = card._meta["io.github.mcp-media-engine/server"];
  expect(meta.latestProtocolVersion).toBe("2026-07-28");
  expect(meta.authorization.protectedResourceMetadata).toBe(
    `${server.url}/.well-known/oauth-protected-resource/mcp`,
  );
  const tools = meta.tools.map((t: { name: string }) => t.name);
  expect(tools).toEqual(
    expect.arrayContaining(["generate_image", "wait_for_job", "list_jobs", "get_account"]),
  );
  expect(meta.tools.every((t: { description?: string }) => (t.description ?? "").length > 0)).toBe(true);

  // The same card at the well-known address; an ETag revalidates it.
  const wellKnown = await fetch(`${server.url}/.well-known/mcp/server-card.json`);
  expect(await wellKnown.json()).toEqual(card);
  const etag = response.headers.get("etag")!;
  const again = await fetch(`${server.url}/mcp/server-card`, { headers: { "if-none-match": etag } });
  expect(again.status).toBe(304);
});

/** One JSON-RPC request to /mcp with a key; the answer's message (JSON or the last SSE event). */
async function mcpPost(body: object, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${server.key}`,
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
      ...headers,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const data = text.split("\n").filter((line) => line.startsWith("data:"));
  return JSON.parse(data.length > 0 ? data.at(-1)!.slice(5) : text);
}

test("every protocol version the card names for /mcp is one /mcp serves", async () => {
  // biome-ignore lint/suspicious/noExplicitAny: a JSON document read field by field
  const card = (await (await fetch(`${server.url}/.well-known/mcp/server-card.json`)).json()) as any;
  for (const version of card.remotes[0].supportedProtocolVersions as string[]) {
    if (version >= "2026") {
      const answer = await mcpPost(
        {
          jsonrpc: "2.0",
          id: 1,
          method: "server/discover",
          params: {
            _meta: {
              "io.modelcontextprotocol/protocolVersion": version,
              "io.modelcontextprotocol/clientCapabilities": {},
            },
          },
        },
        { "mcp-protocol-version": version, "mcp-method": "server/discover" },
      );
      expect(answer.result.supportedVersions, version).toContain(version);
    } else {
      const answer = await mcpPost({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: version, capabilities: {}, clientInfo: { name: "card", version: "1" } },
      });
      expect(answer.result.protocolVersion, version).toBe(version);
    }
  }
});

test("the schema is not a rubber stamp: a card without its name or with a third transport type fails it", () => {
  const validate = validator();
  const base = {
    $schema: schema.$defs.ServerCard.properties.$schema.pattern.slice(1, -1).replace(/\\/g, ""),
  };
  expect(validate({ ...base, version: "1", description: "x" })).toBe(false);
  expect(
    validate({
      ...base,
      name: "a/b",
      version: "1",
      description: "x",
      remotes: [{ type: "websocket", url: "https://x" }],
    }),
  ).toBe(false);
  expect(validate({ ...base, name: "a/b", version: "1", description: "x" })).toBe(true);
});

test("the AI Catalog at /.well-known/ai-catalog.json names the server card", async () => {
  const response = await fetch(`${server.url}/.well-known/ai-catalog.json`);
  expect(response.headers.get("content-type")).toBe("application/ai-catalog+json");
  const catalog = (await response.json()) as { entries: { url: string }[] };
  expect(catalog).toEqual({
    specVersion: "1.0",
    entries: [
      {
        identifier: "urn:air:127.0.0.1:mcp:mcp-media-engine",
        type: "application/mcp-server-card+json",
        url: `${server.url}/mcp/server-card`,
      },
    ],
  });
  const card = await fetch(catalog.entries[0]!.url);
  expect(card.status).toBe(200);
});
