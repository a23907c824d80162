import type { TestServer } from "./harness";

/** A browser's view of the engine for tests: it keeps the session cookie and sends our own Origin. */
export interface Browser {
  cookie: string | undefined;
  /** The Set-Cookie header of the last response that had one. */
  lastSetCookie: string | undefined;
  request(path: string, init?: RequestInit & { origin?: string | null }): Promise<Response>;
}

export function browser(server: TestServer): Browser {
  const b: Browser = {
    cookie: undefined,
    lastSetCookie: undefined,
    async request(path, init = {}) {
      const { origin = server.url, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (b.cookie) headers.set("cookie", b.cookie);
      if (origin) headers.set("origin", origin);
      if (rest.body && !headers.has("content-type")) headers.set("content-type", "application/json");
      const response = await fetch(`${server.url}${path}`, { ...rest, headers });
      const set = response.headers.get("set-cookie");
      if (set) {
        b.lastSetCookie = set;
        const value = /^mme_session=([^;]*)/.exec(set)?.[1];
        b.cookie = value ? `mme_session=${value}` : undefined;
      }
      return response;
    },
  };
  return b;
}

export const STRONG_PASSWORD = "correct horse battery staple";

export async function signUp(b: Browser, email: string, password = STRONG_PASSWORD): Promise<Response> {
  return b.request("/auth/signup", { method: "POST", body: JSON.stringify({ email, password }) });
}

export async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}
