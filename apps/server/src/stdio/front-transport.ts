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
