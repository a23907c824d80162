import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { StartupError } from "@mcpmediaengine/db";
import { createLog, ensureStartupKey, type LogLevel, localOperator } from "@mcpmediaengine/engine";
import {
  deferredBackend,
  engineBackend,
  remoteBackend,
  type StdioSource,
  serveStdio,
} from "@mcpmediaengine/mcp";
import { surviveDatabaseOutages } from "./boot/outage-guard";
import { stablePort } from "./boot/stable-port";
import { type Role, type RunningEngine, startEngine } from "./boot/start";
import { stopTracing } from "./boot/tracing";
import { runAdminCommand } from "./commands/admin";
import { runAssetsCommand } from "./commands/assets";
import { describeClientError, runClientCommand } from "./commands/client";
import { FlagError } from "./commands/generate-flags";
import { helpFor, USAGE } from "./commands/usage";
import { EnvError, logFormatOf, readEnv } from "./env";
import { takeStdioFront } from "./stdio/front.mjs";
import { frontSource } from "./stdio/front-transport";

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const help = await helpFor(argv);
  if (help !== undefined) {
    process.stdout.write(help);
    return 0;
  }
  if (command === undefined || command === "mcp") return mcp();
  if (command === "start") return start(rest);
  if (command === "accounts" || command === "keys" || command === "credits") {
    const code = await runAdminCommand(command, rest[0], rest.slice(1));
    if (code !== undefined) return code;
  }
  if (command === "assets") {
    const code = await runAssetsCommand(rest[0], rest.slice(1));
    if (code !== undefined) return code;
  }
  if (command === "generate" || command === "jobs") return runClientCommand(command, rest);
  process.stderr.write(`Unknown command "${argv.join(" ")}".\n\n${USAGE}\n`);
  return 1;
}

async function start(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { role: { type: "string", default: "all" } } });
  const role = values.role as Role;
  if (!["all", "api", "worker"].includes(role))
    throw new EnvError(`--role must be all, api or worker, not "${role}".`);
  const env = readEnv();
  const log = createLog(env.MME_LOG_LEVEL, { format: logFormatOf(env) });
  surviveDatabaseOutages(log);
  const running = await startEngine(env, role, log);
  if (role !== "worker") {
    const { created } = await ensureStartupKey({
      ctx: running.engine,
      bootstrapKey: env.MME_BOOTSTRAP_API_KEY,
      bootstrapCredits: env.MME_BOOTSTRAP_CREDITS,
    });
    if (created && !env.MME_BOOTSTRAP_API_KEY) {
      process.stdout.write(
        `\nA first API key was created. It is shown only this once; keep it somewhere safe:\n\n  ${created.apiKey}\n\n`,
      );
    }
  }
  const dataDir = resolve(env.MME_DATA_DIR);
  // Listening for signals before saying "listening": a supervisor that stops us as soon as it reads the line
  // must get the orderly shutdown, not the default kill.
  const signalled = new Promise<void>((resolveSignal) => {
    const onSignal = (signal: string) => {
      log.info(`received ${signal}, shutting down`);
      resolveSignal();
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
  process.stdout.write(
    `MCP Media Engine (${role}) ${running.url ? `listening on ${running.url}` : "working"}; ` +
      `data in ${dataDir}; database ${env.DATABASE_URL ? "from DATABASE_URL" : "embedded in the data folder"}.\n` +
      (running.url ? `API reference: ${running.url}/docs\n` : ""),
  );
  await signalled;
  // Running jobs get the grace period, then are handed back; 30 s more covers closing everything after that.
  const limitSeconds = env.MME_SHUTDOWN_GRACE_SECONDS + 30;
  const forced = setTimeout(() => {
    log.error(`shutdown took longer than ${limitSeconds} s; exiting`);
    process.exit(1);
  }, limitSeconds * 1000);
  forced.unref();
  await running.stop();
  await stopTracing();
  log.info("stopped");
  return 0;
}

/**
 * MCP on stdio for a desktop host: the engine runs in this process (embedded Postgres in a data folder of the
 * user's, the worker, and HTTP on a loopback port kept in the data folder so asset URLs open, and still open
 * after a restart), acting as the operator's account. The host is answered at once (the front answered
 * `initialize`, or a 2026-07-28 client's `server/discover`, before this module was loaded); the engine boots behind, and tools wait for it. stdout is the
 * protocol channel; every log line goes to stderr.
 */
async function mcp(): Promise<number> {
  const front = takeStdioFront();
  const transport = front ? frontSource(front) : undefined;
  const apiUrl = process.env.MME_API_URL;
  if (apiUrl) return mcpRemote(apiUrl, process.env.MME_API_KEY, transport);
  const dataDir = localDataDir();
  const host = process.env.HOST ?? "127.0.0.1";
  const port = process.env.PORT ?? String(await stablePort(dataDir, host));
  const env = readEnv({ ...process.env, MME_DATA_DIR: dataDir, PORT: port });
  const log = createLog(env.MME_LOG_LEVEL, { format: logFormatOf(env) });
  surviveDatabaseOutages(log);
  let running: RunningEngine | undefined;
  // A second MCP host on the same data folder (two desktop apps, say) does not share the first one's engine: it
  // stops at once and says how to reach that engine instead, or how to run its own.
  const ready = (async () => {
    running = await startEngine(env, "all", log, {
      what: "MCP over stdio",
      whenLocked:
        "This MCP host cannot run a second engine on it. Either give it a folder of its own (MME_DATA_DIR), or connect it to the running engine: set MME_API_URL to that engine's API URL and MME_API_KEY to one of its API keys (make one with `mcp-media-engine keys create`, MME_DATA_DIR set to that folder).",
    });
    const caller = await localOperator({
      ctx: running.engine,
      bootstrapKey: env.MME_BOOTSTRAP_API_KEY,
      bootstrapCredits: env.MME_BOOTSTRAP_CREDITS,
    });
    log.info(`MCP on stdio; engine data in ${resolve(env.MME_DATA_DIR)}; assets served at ${running.url}`);
    return engineBackend(running.engine, caller, { baseUrl: running.url! });
  })();
  const baseUrl =
    env.MME_PUBLIC_URL ?? `http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${env.PORT}`;
  let failure: unknown;
  try {
    // The host ends the session by closing stdin, or by a signal; either way the engine stops in order. An
    // engine that cannot start ends the process with its reason, as before any host was answered.
    const signalled = new Promise<void>((resolveSignal) => {
      process.once("SIGINT", () => resolveSignal());
      process.once("SIGTERM", () => resolveSignal());
    });
    await Promise.race([
      serveStdio(
        deferredBackend(ready, [new URL(baseUrl).origin]),
        { log: (message) => log.error(message) },
        transport,
      ),
      signalled,
      ready.then(() => new Promise<never>(() => {})),
    ]);
  } catch (error) {
    failure = error;
  }
  // A host gone before the engine started still hears why it could not start, and the exit status says so.
  failure ??= await ready.then(
    () => undefined,
    (error: unknown) => error,
  );
  await running?.stop();
  await stopTracing();
  if (failure !== undefined) throw failure;
  return 0;
}

/** MCP on stdio for an engine elsewhere (MME_API_URL), as the account of MME_API_KEY: no engine runs here. */
async function mcpRemote(
  apiUrl: string,
  apiKey: string | undefined,
  transport?: StdioSource,
): Promise<number> {
  if (!apiKey)
    throw new EnvError("MME_API_URL is set, so MME_API_KEY must be too (the key to call it with).");
  if (!/^https?:\/\//.test(apiUrl))
    throw new EnvError(`MME_API_URL must be an http(s) URL, not "${apiUrl}".`);
  const log = createLog((process.env.MME_LOG_LEVEL as LogLevel | undefined) ?? "info", {
    format: logFormatOf(process.env),
  });
  log.info(`MCP on stdio for the engine at ${apiUrl}`);
  await serveStdio(remoteBackend(apiUrl, apiKey), { log: (message) => log.error(message) }, transport);
  await stopTracing();
  return 0;
}

/** MME_DATA_DIR, else a folder of the user's. As root, Postgres runs as its own user, who cannot enter root's home. */
function localDataDir(): string {
  if (process.env.MME_DATA_DIR) return process.env.MME_DATA_DIR;
  if (process.getuid?.() === 0) return "/var/lib/mcp-media-engine";
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "mcp-media-engine");
}

/** Runs the command line and exits with its status. */
export function run(argv: string[]): void {
  main(argv).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const clientError = describeClientError(error);
      if (clientError !== undefined) {
        process.stderr.write(`mcp-media-engine: ${clientError}\n`);
      } else if (error instanceof StartupError || error instanceof EnvError || error instanceof FlagError) {
        process.stderr.write(`mcp-media-engine: ${error.message}\n`);
      } else if (
        error instanceof Error &&
        error.name === "TypeError" &&
        /parseArgs|Unknown option/i.test(error.message)
      ) {
        process.stderr.write(`mcp-media-engine: ${error.message}\n\n${USAGE}\n`);
      } else {
        process.stderr.write(
          `mcp-media-engine: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
        );
      }
      process.exit(1);
    },
  );
}
