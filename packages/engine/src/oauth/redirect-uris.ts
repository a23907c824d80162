const LOOPBACK = new Set(["127.0.0.1", "[::1]", "localhost"]);

/**
 * A redirect URI a client may register (MCP's security considerations: localhost or https): https, or http to a
 * loopback host; never a fragment, never credentials.
 */
export function redirectUriProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `${raw.slice(0, 200)} is not a URL`;
  }
  if (url.hash || raw.includes("#")) return `${raw.slice(0, 200)} has a fragment`;
  if (url.username || url.password) return `${raw.slice(0, 200)} carries credentials`;
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && LOOPBACK.has(url.hostname)) return undefined;
  return `${raw.slice(0, 200)} is neither https nor http to this machine (localhost, 127.0.0.1 or [::1])`;
}

/**
 * Whether the redirect_uri of a request is one the client registered: the same string, except that a loopback
 * http URI may name any port (OAuth 2.1 section 8.4.2: native apps listen on a port the system hands them).
 */
export function matchesRegisteredRedirect(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true;
  let asked: URL;
  try {
    asked = new URL(requested);
  } catch {
    return false;
  }
  if (asked.protocol !== "http:" || !LOOPBACK.has(asked.hostname) || asked.hash) return false;
  return registered.some((entry) => {
    try {
      const known = new URL(entry);
      return (
        known.protocol === "http:" &&
        known.hostname === asked.hostname &&
        known.pathname === asked.pathname &&
        known.search === asked.search
      );
    } catch {
      return false;
    }
  });
}
