// The baseline of the MCP benchmark: the SDK's McpServer with one tool that does nothing, on stdio or on
// Streamable HTTP (argv[2]), in a process of its own as our engine is. "modern-http" is the 2.x SDK's stateless
// protocol 2026-07-28 entry (createMcpHandler, a server per request), the path our /mcp takes for that revision.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { createMcpHandler, McpServer as ModernMcpServer } from "@modelcontextprotocol/server";
import { z } from "zod";

function noopServer(): McpServer {
  const server = new McpServer({ name: "noop", version: "1.0.0" });
  server.registerTool("noop", { inputSchema: z.object({ jobId: z.string() }) }, async () => ({
    content: [{ type: "text", text: "ok" }],
  }));
  return server;
}

if (process.argv[2] === "stdio") {
  await noopServer().connect(new StdioServerTransport());
} else if (process.argv[2] === "modern-http") {
  const handler = createMcpHandler(
    () => {
      const server = new ModernMcpServer({ name: "noop", version: "1.0.0" });
      server.registerTool("noop", { inputSchema: z.object({ jobId: z.string() }) }, async () => ({
        content: [{ type: "text", text: "ok" }],
      }));
      return server;
    },
    { legacy: "reject" },
  );
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === "string") headers.set(name, value);
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers,
      ...(chunks.length && { body: Buffer.concat(chunks) }),
    });
    const response = await handler.fetch(request);
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      out[name] = value;
    });
    res.writeHead(response.status, out);
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  http.listen(0, "127.0.0.1", () => {
    process.stdout.write(`listening on http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp\n`);
  });
} else {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
    const id = req.headers["mcp-session-id"] as string | undefined;
    let transport = id ? sessions.get(id) : undefined;
    if (!transport && isInitializeRequest(body)) {
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (sessionId) => {
          sessions.set(sessionId, created);
        },
      });
      await noopServer().connect(created);
      transport = created;
    }
    if (!transport) {
      res.writeHead(404).end();
      return;
    }
    await transport.handleRequest(req, res, body);
  });
  http.listen(0, "127.0.0.1", () => {
    process.stdout.write(`listening on http://127.0.0.1:${(http.address() as AddressInfo).port}\n`);
  });
}
