import type { AuthConfig } from "@mcpmediaengine/contract";
import { ApiError, toShownError } from "./errors";

// Sign-up and sessions live outside /v1 and tRPC: they set or clear the httpOnly session cookie.

export interface SessionInfo {
  accountId: string;
  accountName: string;
  email: string | null;
  operator: boolean;
}

async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  if (!response.ok) throw new ApiError(response.status, toShownError(data ?? {}));
  return data as T;
}

/** The signed-in session, or null when there is none. */
export async function getSession(): Promise<SessionInfo | null> {
  try {
    return await call<SessionInfo>("GET", "/auth/session");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export const signInWithKey = (apiKey: string) => call<SessionInfo>("POST", "/auth/login", { apiKey });
export const signInWithPassword = (email: string, password: string) =>
  call<SessionInfo>("POST", "/auth/login", { email, password });
export const signUp = (input: { email: string; password: string; name?: string }) =>
  call<{ session: SessionInfo; apiKey: { apiKey: string } }>("POST", "/auth/signup", input);
export const signOut = () => call<void>("POST", "/auth/logout");

/** Whether sign-up is open on this server; the sign-in page shows its link only then. */
export const getAuthConfig = () => call<AuthConfig>("GET", "/auth/config");
