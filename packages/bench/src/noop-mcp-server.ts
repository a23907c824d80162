// The baseline of the MCP benchmark: the SDK's McpServer with one tool that does nothing, on stdio or on
// Streamable HTTP (argv[2]), in a process of its own as our engine is.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
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
