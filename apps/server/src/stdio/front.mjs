// The first thing an MCP stdio host meets, in plain JavaScript so it runs before tsx, the MCP SDKs or the engine
// are loaded (seconds on a busy machine): it answers a 2025-era client's `initialize` and a 2026-07-28 client's
// `server/discover` at once with what the real server will say (test/stdio-front.test.ts keeps them equal), and
// holds every other message until the real server attaches (`takeStdioFront`), to which it then replays them all
// in order (its answers to the ones answered here are dropped: the host has had them). stdout carries JSON-RPC
// only, one message a line, as the SDKs' stdio transports write it.

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

/** The revisions the 2.x SDK's server answers `server/discover` for (modern/server.ts, packages/mcp). */
export const MODERN_PROTOCOL_VERSIONS = ["2026-07-28"];

/** What createModernServer (packages/mcp/src/modern/server.ts) answers to `server/discover`, cache hints included. */
export const DISCOVER_RESULT = {
  supportedVersions: MODERN_PROTOCOL_VERSIONS,
  capabilities: {
    tools: { listChanged: true },
    resources: { listChanged: true },
    extensions: { "io.modelcontextprotocol/tasks": {} },
  },
  instructions: INSTRUCTIONS,
  resultType: "complete",
  ttlMs: 300_000,
  cacheScope: "public",
  _meta: { "io.modelcontextprotocol/serverInfo": SERVER_INFO },
};

const ENVELOPE = "io.modelcontextprotocol/";
const LOG_LEVELS = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];
const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
const isString = (value) => typeof value === "string";
const optional = (value, check) => value === undefined || check(value);
const objectOf = (check) => (value) => isObject(value) && Object.values(value).every(check);

/**
 * Whether `message` is a `server/discover` the 2.x server surely answers with DISCOVER_RESULT: its `_meta`
 * envelope names a revision it serves and passes the SDK's envelope schema. Only a plain subset of what that
 * schema accepts is recognised here (anything else, valid or not, waits for the real server, which answers it
 * itself), so the front never answers a request the real server would refuse.
 */
export function answersDiscover(message) {
  if (message?.jsonrpc !== "2.0" || message.method !== "server/discover") return false;
  if (!isString(message.id) && !Number.isInteger(message.id)) return false;
  const params = message.params;
  if (!isObject(params) || Object.keys(params).some((key) => key !== "_meta")) return false;
  const meta = params._meta;
  if (!isObject(meta)) return false;
  const known = {
    protocolVersion: (v) => MODERN_PROTOCOL_VERSIONS.includes(v),
    clientCapabilities: (v) =>
      isObject(v) &&
      optional(v.experimental, objectOf(isObject)) &&
      optional(v.extensions, objectOf(isObject)) &&
      optional(v.roots, (r) => isObject(r) && optional(r.listChanged, (b) => typeof b === "boolean")) &&
      optional(
        v.sampling,
        (s) => isObject(s) && optional(s.context, isObject) && optional(s.tools, isObject),
      ) &&
      optional(
        v.elicitation,
        (e) =>
          isObject(e) &&
          optional(e.url, isObject) &&
          optional(e.form, (f) => isObject(f) && optional(f.applyDefaults, (b) => typeof b === "boolean")),
      ),
    clientInfo: (v) =>
      isObject(v) &&
      isString(v.name) &&
      isString(v.version) &&
      Object.entries(v).every(([key, value]) =>
        ["name", "version", "title", "websiteUrl", "description"].includes(key) ? isString(value) : false,
      ),
    logLevel: (v) => LOG_LEVELS.includes(v),
  };
  if (!(`${ENVELOPE}protocolVersion` in meta && `${ENVELOPE}clientCapabilities` in meta)) return false;
  return Object.entries(meta).every(([key, value]) => {
    const name = key.startsWith(ENVELOPE) ? key.slice(ENVELOPE.length) : undefined;
    return name !== undefined && Object.hasOwn(known, name) && known[name](value);
  });
}

/** Whether a client's opening message is of 2026-07-28 (as packages/mcp's `isModernOpening` tells). */
function opensModern(message) {
  return (
    message?.method === "server/discover" ||
    message?.params?._meta?.[`${ENVELOPE}protocolVersion`] !== undefined
  );
}

// One front per process, even if this file is loaded twice (by the bin, then through tsx by cli.ts).
const KEY = Symbol.for("mcp-media-engine.stdio-front");

/**
 * Starts reading stdin and answering `initialize` or `server/discover`, at the very start of an MCP stdio
 * process. Once per process: later calls return the same front.
 */
export function startStdioFront(input = process.stdin, output = process.stdout) {
  if (globalThis[KEY]) return globalThis[KEY];
  const held = [];
  let buffer = "";
  let receiver;
  let closed = false;
  let onClose;
  /** Ids of the requests answered here, whose answer from the real server is dropped. */
  const answered = new Set();
  /** The revision the client's first message picked: "modern" (2026-07-28) or "legacy" (2025-era). */
  let era;
  let resolveFirst;
  /** The client's first message (undefined if stdin ended first): it picks the protocol revision. */
  const first = new Promise((resolve) => {
    resolveFirst = resolve;
  });
  const write = (message) => output.write(`${JSON.stringify(message)}\n`);
  // A 2026-07-28 connection answers `initialize` with an error (the 2.x SDK's), a 2025-era one has no
  // `server/discover`: each is answered here only on a connection of its own revision.
  const answerEarly = (message) => {
    let result;
    if (era === "legacy" && message?.method === "initialize" && message.id !== undefined)
      result = initializeResult(message.params?.protocolVersion);
    else if (era === "modern" && answersDiscover(message)) result = DISCOVER_RESULT;
    else return;
    write({ jsonrpc: "2.0", id: message.id, result });
    answered.add(message.id);
  };
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
      era ??= opensModern(message) ? "modern" : "legacy";
      if (!receiver) answerEarly(message);
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
