import { PassThrough, type Readable, type Writable } from "node:stream";
import { StdioServerTransport, serveStdio as serveModernStdio } from "@modelcontextprotocol/server/stdio";
import type { MediaBackend } from "../backend";
import type { ToolOptions } from "../tools";
import { createModernServer } from "./server";

/**
 * Reads a stdio client's first message without taking it: resolves with that line (undefined if the input
 * ended first) and a stream that replays it, then carries the rest of the input.
 */
export function peekFirstLine(input: Readable): Promise<{ line?: string; replay: Readable }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = (line: string | undefined) => {
      input.off("data", onData);
      input.off("end", onEnd);
      input.pause();
      const replay = new PassThrough();
      replay.write(Buffer.concat(chunks));
      if (line === undefined) replay.end();
      else input.pipe(replay);
      resolve({ line, replay });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      const newline = chunk.indexOf(10);
      if (newline >= 0) {
        const all = Buffer.concat(chunks);
        done(all.subarray(0, all.indexOf(10)).toString("utf8"));
      }
    };
    const onEnd = () => done(undefined);
    input.on("data", onData);
    input.on("end", onEnd);
  });
}

/**
 * Whether a client's opening message is of protocol 2026-07-28: `server/discover`, or any request carrying the
 * per-request `_meta` envelope. A 2025-11-25 client opens with `initialize` (which carries none).
 */
export function opensModern(line: string | undefined): boolean {
  if (!line) return false;
  try {
    return isModernOpening(JSON.parse(line));
  } catch {
    return false;
  }
}

/** The same test on a message already parsed. */
export function isModernOpening(message: unknown): boolean {
  const m = message as { method?: string; params?: { _meta?: Record<string, unknown> } } | undefined;
  return (
    m?.method === "server/discover" ||
    m?.params?._meta?.["io.modelcontextprotocol/protocolVersion"] !== undefined
  );
}

/**
 * Serves a 2026-07-28 client on stdio (`input` replays its first message) until its input ends; answers go to
 * `output` (stdout unless something stands in front of it).
 */
export async function serveModernOnStdio(
  backend: MediaBackend,
  options: ToolOptions,
  input: Readable,
  output: Writable = process.stdout,
): Promise<void> {
  const transport = new StdioServerTransport(input, output);
  const closed = new Promise<void>((resolve) => input.once("end", () => resolve()));
  const handle = serveModernStdio(() => createModernServer(backend, options), {
    legacy: "reject",
    transport,
    onerror: (error) => options.log?.(`MCP 2026-07-28 on stdio: ${error.message}`),
  });
  await closed;
  await handle.close();
}
