import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

/** The browser session's cookie: its value is the session's token, which the database knows only hashed. */
export const SESSION_COOKIE = "mme_session";

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/**
 * httpOnly (no script reads it, so nothing in the page can leak it), SameSite=Lax (other sites' forms and fetches
 * do not carry it), Secure whenever the engine is reached over https.
 */
export function writeSessionCookie(c: Context, token: string, ttlMs: number, publicUrl?: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c.req.raw, publicUrl),
    maxAge: Math.floor(ttlMs / 1000),
  });
}

export function clearSessionCookie(c: Context, publicUrl?: string): void {
  deleteCookie(c, SESSION_COOKIE, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c.req.raw, publicUrl),
  });
}

function isHttps(request: Request, publicUrl?: string): boolean {
  return new URL(request.url).protocol === "https:" || publicUrl?.startsWith("https:") === true;
}
