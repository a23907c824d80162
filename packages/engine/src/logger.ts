import { pino } from "pino";
import pretty from "pino-pretty";
import { currentLogFields, enableLogFields } from "./observe/log-context";
import { currentTraceIds } from "./observe/trace";

/**
 * Log lines go to stderr: stdout may be the MCP stdio protocol channel. Never log secrets or request bodies.
 * Each line carries the request, account, job and delivery it was written for (see observe/log-context.ts), and
 * the trace it belongs to when tracing is on.
 */
export interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** json: one JSON object a line (for log collectors); pretty: a readable line (for a terminal). */
export type LogFormat = "json" | "pretty";

// Field names that could hold a credential, wherever they turn up: a line never shows their values.
const SECRET_FIELDS = ["authorization", "apiKey", "secret", "password", "token"];

/** `write` (or `options.write`) takes each line instead of stderr, for tests. */
export function createLog(
  level: LogLevel = "info",
  optionsOrWrite: { format?: LogFormat; write?: (line: string) => void } | ((line: string) => void) = {},
): Log {
  const options = typeof optionsOrWrite === "function" ? { write: optionsOrWrite } : optionsOrWrite;
  if (level !== "silent") enableLogFields();
  const destination = options.write
    ? { write: options.write }
    : options.format === "pretty"
      ? pretty({
          destination: 2,
          sync: true,
          colorize: process.stderr.isTTY === true,
          translateTime: "SYS:HH:MM:ss.l",
          ignore: "pid,hostname",
        })
      : pino.destination({ dest: 2, sync: true });
  const logger = pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]), censor: "[redacted]" },
      mixin: () => {
        const ids = currentTraceIds();
        const fields = currentLogFields();
        return ids ? { ...fields, ...ids } : (fields ?? {});
      },
    },
    destination,
  );
  const emit =
    (at: Exclude<LogLevel, "silent">) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (fields) logger[at](fields, message);
      else logger[at](message);
    };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}
