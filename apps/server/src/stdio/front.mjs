// The first thing an MCP stdio host meets, in plain JavaScript so it runs before tsx, the MCP SDK or the engine
// are loaded (seconds on a busy machine): it answers `initialize` at once with what the real server will say
// (test/stdio-front.test.ts keeps the two equal), and holds every other message until the real server attaches
// (`takeStdioFront`), to which it then replays `initialize` (that answer is dropped: the host has had it) and
// the rest in order. stdout carries JSON-RPC only, one message a line, as the SDK's stdio transport writes it.

/** What createMcpServer (packages/mcp/src/server.ts) answers to `initialize`. */
export const SERVER_INFO = { name: "mcp-media-engine", version: "0.1.0" };
export const CAPABILITIES = {
  logging: {},
  resources: { listChanged: true },
  tools: { listChanged: true },
  tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
};
export const INSTRUCTIONS =
  "Generate images (and, where their engines run, video and speech) as jobs. A generate_* tool answers at once with a jobId; follow it with wait_for_job (or get_job_status) until it is completed, then use the linked asset resource or its url. Jobs cost credits: estimate_cost and get_account tell how many you have.";
/** The MCP SDK's SUPPORTED_PROTOCOL_VERSIONS, newest first. */
export const PROTOCOL_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "2024-10-07"];

/** The answer to an `initialize` request, as the SDK's server negotiates it. */
export function initializeResult(requested) {
  return {
    protocolVersion: PROTOCOL_VERSIONS.includes(requested) ? requested : PROTOCOL_VERSIONS[0],
    capabilities: CAPABILITIES,
    serverInfo: SERVER_INFO,
    instructions: INSTRUCTIONS,
  };
}

// One front per process, even if this file is loaded twice (by the bin, then through tsx by cli.ts).
const KEY = Symbol.for("mcp-media-engine.stdio-front");

/**
 * Starts reading stdin and answering `initialize`, at the very start of an MCP stdio process. Once per process:
 * later calls return the same front.
 */
export function startStdioFront(input = process.stdin, output = process.stdout) {
  if (globalThis[KEY]) return globalThis[KEY];
  const held = [];
  let buffer = "";
  let receiver;
  let closed = false;
  let onClose;
  /** Ids of `initialize` requests answered here, whose answer from the real server is dropped. */
  const answered = new Set();
  let resolveFirst;
  /** The client's first message (undefined if stdin ended first): it picks the protocol revision. */
  const first = new Promise((resolve) => {
    resolveFirst = resolve;
  });
  const write = (message) => output.write(`${JSON.stringify(message)}\n`);
  const deliver = (message) => (receiver ? receiver(message) : held.push(message));
  input.setEncoding?.("utf8");
  input.on("data", (chunk) => {
    buffer += chunk;
    for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n")) {
      const line = buffer.slice(0, end).replace(/\r$/, "");
      buffer = buffer.slice(end + 1);
      if (!line.trim()) continue;
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        continue; // as the SDK's stdio transport does, a line that is not JSON is dropped
      }
      if (message?.method === "initialize" && message.id !== undefined && !receiver) {
        write({ jsonrpc: "2.0", id: message.id, result: initializeResult(message.params?.protocolVersion) });
        answered.add(message.id);
      }
      resolveFirst(message);
      deliver(message);
    }
  });
  const end = () => {
    if (closed) return;
    closed = true;
    resolveFirst(undefined);
    onClose?.();
  };
  input.on("end", end);
  input.on("close", end);
  const front = {
    /** The real server takes over: held messages first, then each as it comes. */
    attach(onMessage, whenClosed) {
      receiver = onMessage;
      onClose = whenClosed;
      for (const message of held.splice(0)) onMessage(message);
      if (closed) whenClosed();
    },
    send(message) {
      if ("id" in message && answered.has(message.id) && !("method" in message)) {
        answered.delete(message.id);
        return;
      }
      write(message);
    },
    first: () => first,
    get closed() {
      return closed;
    },
  };
  globalThis[KEY] = front;
  return front;
}

/** The front this process started, if any (MCP over stdio), for the real server to attach to. */
export function takeStdioFront() {
  return globalThis[KEY];
}
