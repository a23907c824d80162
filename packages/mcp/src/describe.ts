import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { MediaBackend } from "./backend";
import { createMcpServer, SERVER_INFO } from "./server";

export interface ToolSummary {
  name: string;
  title?: string;
  description?: string;
}

let summaries: Promise<ToolSummary[]> | undefined;

/**
 * The tools as a client's tools/list sees them (name, title, description), for documents that describe the server
 * before anyone connects (the server card). Listed once per process from a server whose backend is never called.
 */
export function describeTools(): Promise<ToolSummary[]> {
  summaries ??= (async () => {
    const server = createMcpServer({} as MediaBackend);
    const client = new Client({ name: `${SERVER_INFO.name}-describe`, version: SERVER_INFO.version });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(a), client.connect(b)]);
    try {
      const { tools } = await client.listTools();
      return tools.map((t) => ({ name: t.name, title: t.title, description: t.description }));
    } finally {
      await client.close();
      await server.close();
    }
  })();
  return summaries;
}
