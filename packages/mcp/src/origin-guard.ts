import { AppError } from "@mcpmediaengine/contract";

export interface OriginGuardOptions {
  /** MME_MCP_ALLOWED_ORIGINS: browser origins allowed to call /mcp (`https://app.example.com`), besides ours. */
  allowedOrigins: string[];
  /** The server listens on a loopback address only (HOST is 127.0.0.1, ::1 or localhost). */
  loopback: boolean;
  /** MME_PUBLIC_URL: its origin is ours, and its host is a name we answer to (a reverse proxy keeps it). */
  publicUrl?: string;
}

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Whether a listening address is loopback only. */
export function isLoopbackAddress(host: string): boolean {
  return LOOPBACK_NAMES.has(host.toLowerCase()) || host.startsWith("127.");
}

function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_NAMES.has(hostname.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * DNS rebinding protection for /mcp, as the MCP transport's security warning asks: a page on another site must
 * not reach the server through a browser, even one that resolves its own name to 127.0.0.1.
 * - A request with an `Origin` (browsers send one) is refused (403) unless the origin is ours (MME_PUBLIC_URL's),
 *   listed in MME_MCP_ALLOWED_ORIGINS, or, while the server listens on loopback only, a loopback origin.
 *   Requests without one (programs, desktop hosts) are not browsers' and pass.
 * - While the server listens on loopback only, the `Host` must name loopback (any port) or MME_PUBLIC_URL's
 *   host, else 403: a rebound name cannot pass, whatever its Origin.
 * Returns the error to answer with, or undefined when the request may go on.
 */
export function mcpOriginGuard(options: OriginGuardOptions): (request: Request) => AppError | undefined {
  const ours = options.publicUrl ? new URL(options.publicUrl) : undefined;
  const allowed = new Set(options.allowedOrigins.map((o) => new URL(o).origin));
  if (ours) allowed.add(ours.origin);
  return (request) => {
    if (options.loopback) {
      const host = request.headers.get("host");
      const hostname = host ? hostnameOf(host) : undefined;
      if (!hostname || !(isLoopbackHostname(hostname) || hostname === ours?.hostname)) {
        return new AppError(
          "forbidden",
          `This server answers on loopback only; Host ${host ?? "(none)"} is refused.`,
        );
      }
    }
    const origin = request.headers.get("origin");
    if (origin === null) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (parsed && (allowed.has(parsed.origin) || (options.loopback && isLoopbackHostname(parsed.hostname)))) {
      return undefined;
    }
    return new AppError(
      "forbidden",
      `Origin ${origin} may not call /mcp; an operator can allow it in MME_MCP_ALLOWED_ORIGINS.`,
    );
  };
}

function hostnameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}
