import {
  ApiKeyLogin,
  AppError,
  type AuthConfig,
  MIN_PASSWORD_LENGTH,
  PasswordLogin,
  parseRequest,
  SignupRequest,
} from "@mcpmediaengine/contract";
import {
  type EngineContext,
  endSession,
  resolveSession,
  signInWithKey,
  signInWithPassword,
  signUp,
} from "@mcpmediaengine/engine";
import { type Context, Hono } from "hono";
import { clientKey, TrustedProxies } from "./client-address";
import { errorResponse } from "./error-response";
import { LoginLimiter } from "./login-limiter";
import { changesState, isOwnOrigin } from "./origin";
import type { AppEnv } from "./rate-limit";
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from "./session-cookie";

export interface AccountsOptions {
  /** MME_SIGNUP: whether anyone may open an account with an email and a password. */
  signup?: "open" | "closed";
  /** How long a session lasts (MME_SESSION_TTL_HOURS). */
  sessionTtlMs?: number;
  /** Failed sign-ins per address and per email a minute (MME_LOGIN_RATE_LIMIT). */
  loginFailuresPerMinute?: number;
  /** Sign-up attempts per address an hour (MME_SIGNUP_RATE_LIMIT). */
  signupsPerHour?: number;
}

/**
 * Sign-up and browser sessions, outside /v1: GET /auth/config (whether sign-up is open), POST /auth/signup,
 * POST /auth/login (email and password, or an API key), POST /auth/logout and GET /auth/session. Thin: the services decide; this sets and clears the cookie, limits
 * attempts and refuses other sites' pages. A login or sign-up sent by a browser from another origin is refused
 * (a page elsewhere must not sign a visitor in to an account of its choosing); one with no Origin at all (curl, a
 * script) is not a browser's, and goes on.
 */
export function authRoutes(
  engine: EngineContext,
  options: AccountsOptions & { publicUrl?: string; trustedProxies?: TrustedProxies },
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const ttlMs = options.sessionTtlMs ?? 7 * 24 * 3_600_000;
  const limiter = new LoginLimiter(options.loginFailuresPerMinute ?? 10, options.signupsPerHour ?? 10);
  const trusted = options.trustedProxies ?? new TrustedProxies();
  const clientOf = (c: Context<AppEnv>) =>
    clientKey(c.env?.incoming?.socket.remoteAddress, c.req.header("x-forwarded-for"), trusted);

  app.use("*", async (c, next) => {
    const origin = c.req.header("origin");
    const cookieCall = c.req.path.endsWith("/logout");
    if (changesState(c.req.method) && (origin !== undefined || cookieCall)) {
      if (!isOwnOrigin(c.req.raw, options.publicUrl)) {
        throw new AppError(
          "cross_origin_request",
          "Sign-in, sign-up and sign-out are accepted only from this server's own pages.",
        );
      }
    }
    await next();
  });

  // Public on purpose: a sign-in page shows the sign-up link only when it would work.
  app.get("/config", (c) =>
    c.json({
      signup: options.signup ?? "closed",
      minPasswordLength: MIN_PASSWORD_LENGTH,
    } satisfies AuthConfig),
  );

  app.post("/signup", async (c) => {
    limiter.takeSignup(clientOf(c));
    const input = parseRequest(SignupRequest, await jsonBody(c));
    const { result, opened } = await signUp({
      ctx: engine,
      input,
      open: options.signup === "open",
      sessionTtlMs: ttlMs,
    });
    writeSessionCookie(c, opened.token, ttlMs, options.publicUrl);
    return c.json(result, 201);
  });

  app.post("/login", async (c) => {
    const body = await jsonBody(c);
    const address = clientOf(c);
    const withKey = typeof body === "object" && body !== null && "apiKey" in body;
    if (withKey) {
      const input = parseRequest(ApiKeyLogin, body);
      limiter.checkLogin(address);
      const opened = await failing(
        () => signInWithKey({ ctx: engine, apiKey: input.apiKey, sessionTtlMs: ttlMs }),
        () => limiter.loginFailed(address),
      );
      writeSessionCookie(c, opened.token, ttlMs, options.publicUrl);
      return c.json(opened.session);
    }
    const input = parseRequest(PasswordLogin, body);
    limiter.checkLogin(address, input.email);
    const opened = await failing(
      () => signInWithPassword({ ctx: engine, input, sessionTtlMs: ttlMs }),
      () => limiter.loginFailed(address, input.email),
    );
    writeSessionCookie(c, opened.token, ttlMs, options.publicUrl);
    return c.json(opened.session);
  });

  app.post("/logout", async (c) => {
    const token = readSessionCookie(c);
    if (token !== undefined) await endSession({ ctx: engine, token });
    clearSessionCookie(c, options.publicUrl);
    return c.body(null, 204);
  });

  app.get("/session", async (c) => {
    const token = readSessionCookie(c);
    const resolved = token === undefined ? undefined : await resolveSession({ ctx: engine, token });
    if (!resolved) {
      if (token !== undefined) clearSessionCookie(c, options.publicUrl);
      const refused = errorResponse(
        new AppError(
          "unauthorized",
          "Not signed in: POST /auth/login with an email and password, or an API key.",
        ),
        c.get("requestId"),
      );
      // Through the context, so the cookie's removal goes out with it.
      return c.newResponse(refused.body, 401, { "content-type": "application/json" });
    }
    return c.json(resolved.session);
  });

  return app;
}

async function jsonBody(c: Context): Promise<unknown> {
  try {
    return JSON.parse(await c.req.text());
  } catch {
    throw new AppError("invalid_json", "The request body is not valid JSON.");
  }
}

/** Runs a sign-in; a refusal of the credentials counts against the limits before it goes out. */
async function failing<T>(signIn: () => Promise<T>, counted: () => void): Promise<T> {
  try {
    return await signIn();
  } catch (error) {
    if (error instanceof AppError && error.code === "unauthorized") counted();
    throw error;
  }
}
