import { PassThrough, type Readable, Writable } from "node:stream";
import type { StdioSource } from "@mcpmediaengine/mcp";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type JSONRPCMessage, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";
import type { StdioFront } from "./front.mjs";

/** The MCP server's transport over the stdio front (front.mjs), which already holds stdin and stdout. */
export class FrontTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  constructor(private readonly front: StdioFront) {}

  async start(): Promise<void> {
    this.front.attach(
      (raw) => {
        const parsed = JSONRPCMessageSchema.safeParse(raw);
        if (parsed.success) this.onmessage?.(parsed.data);
        else this.onerror?.(new Error(`not a JSON-RPC message: ${JSON.stringify(raw).slice(0, 200)}`));
      },
      () => this.onclose?.(),
    );
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.front.send(message);
  }

  async close(): Promise<void> {
    this.onclose?.();
  }
}

/**
 * The front as serveStdio's source: its first message picks the revision; a 2025-11-25 client is served through
 * FrontTransport (which drops the second answer to the `initialize` the front already answered), a 2026-07-28
 * one through the 2.x SDK's stdio transport, fed the front's messages again as JSON lines and writing its
 * answers back through the front (which drops the second answer to the `server/discover` it already answered).
 */
export function frontSource(front: StdioFront): StdioSource {
  return {
    first: () => front.first(),
    legacyTransport: () => new FrontTransport(front),
    lines(): Readable {
      const lines = new PassThrough();
      front.attach(
        (message) => lines.write(`${JSON.stringify(message)}\n`),
        () => lines.end(),
      );
      return lines;
    },
    output(): Writable {
      let buffer = "";
      return new Writable({
        write(chunk: Buffer | string, _encoding, done) {
          buffer += chunk.toString();
          for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n")) {
            const line = buffer.slice(0, end);
            buffer = buffer.slice(end + 1);
            // The SDK writes one serialized message a line.
            if (line.trim()) front.send(JSON.parse(line));
          }
          done();
        },
      });
    },
  };
}
