import { isIP } from "node:net";
import type { S3StoreSettings, StripeSettings } from "@mcpmediaengine/engine";
// The subpath, not the package: cli.ts reads this file before tracing starts, and the engine's index loads pg.
import { parseS3Url, type S3Location } from "@mcpmediaengine/engine/s3-url";
import type { HostedSettings } from "@mcpmediaengine/media";
import ipaddr from "ipaddr.js";
import { z } from "zod";

const Port = z.coerce.number().int().min(0).max(65535);
const Flag = z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true");

/** Every setting the engine reads from the environment, validated once at boot. */
export const Env = z.object({
  PORT: Port.default(8787).describe("HTTP port."),
  HOST: z.string().min(1).default("127.0.0.1").describe("Interface to listen on; 0.0.0.0 for all."),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: "must be a postgres:// or postgresql:// URL" })
    .optional()
    .describe("Postgres to use; without it an embedded Postgres runs in the data folder."),
  MME_DATA_DIR: z.string().min(1).default("./.data").describe("Assets and the embedded Postgres live here."),
  MME_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe("Base of the asset URLs handed out; the request's origin when unset."),
  MME_BOOTSTRAP_API_KEY: z
    .string()
    .regex(/^mme_sk_[A-Za-z0-9_-]{16,190}$/, {
      message: 'must look like "mme_sk_" followed by 16 or more letters, digits, - or _',
    })
    .optional()
    .describe("An API key made to exist at start, for local development, demos and tests."),
  MME_BOOTSTRAP_CREDITS: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000_000)
    .optional()
    .describe("Credits granted once to the start-up key's account (enterprise); 1,000,000 when unset."),
  MME_ADMIN_TOKEN: z
    .string()
    .min(24, { message: "must be at least 24 characters" })
    .optional()
    .describe("Bearer token of the admin API (/v1/admin/...); the admin API is off when unset."),
  MME_PG_PORT: Port.optional().describe("Port of the embedded Postgres; a free one when unset."),
  MME_DB_CONNECT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(120_000)
    .default(5000)
    .describe(
      "How long opening a database connection may take; while the database is away, API requests fail after at most this long with 503 service_unavailable.",
    ),
  MME_WORKER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(2)
    .describe("Jobs one process runs at once."),
  MME_JOB_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(25)
    .default(5)
    .describe("Starts before a job fails."),
  MME_JOB_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(600)
    .describe("A run of a job longer than this is stopped and the job fails with timeout."),
  MME_MODEL_TIMEOUTS: z
    .string()
    .regex(/^[\w.-]+=\d+(,[\w.-]+=\d+)*$/, {
      message: "must be model=seconds pairs separated by commas, such as local-motion=120,seedance-video=900",
    })
    .transform((v) =>
      Object.fromEntries(
        v.split(",").map((pair) => [pair.split("=")[0]!, Number(pair.split("=")[1]) * 1000]),
      ),
    )
    .optional()
    .describe("Run timeouts of single models, over MME_JOB_TIMEOUT_SECONDS."),
  MME_SHUTDOWN_GRACE_SECONDS: z.coerce
    .number()
    .min(0)
    .max(3600)
    .default(60)
    .describe(
      "On SIGTERM or SIGINT, how long running jobs may finish; those still running then go back to the queue without spending an attempt.",
    ),
  MME_SHUTDOWN_DRAIN_SECONDS: z.coerce
    .number()
    .min(0)
    .max(600)
    .default(0)
    .describe(
      "On SIGTERM or SIGINT, how long an API process keeps serving with /readyz answering 503 before it closes, so load balancers stop sending to it first; set it above the balancer's health-check interval.",
    ),
  MME_ASSET_URL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .optional()
    .describe("Lifetime of asset URLs; never expire when unset."),
  MME_STORAGE_URL: z
    .string()
    .transform((value, check) => {
      const location = parseS3Url(value);
      if (typeof location !== "string") return location;
      check.addIssue({ code: "custom", message: location });
      return z.NEVER;
    })
    .optional()
    .describe(
      "s3://bucket/prefix: asset files go to that S3-compatible bucket; the data folder's assets/ when unset.",
    ),
  MME_S3_ENDPOINT: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe("The S3 API's URL for stores other than AWS S3 (R2, MinIO, Ceph…); AWS's own when unset."),
  MME_S3_FORCE_PATH_STYLE: Flag.default(false).describe(
    "1: the bucket goes in the URL's path, not its host name (MinIO and most self-hosted stores want this).",
  ),
  // The AWS SDK's own names. Without keys the SDK's default chain applies (profile, SSO, instance or task role).
  AWS_REGION: z.string().min(1).optional().describe("The S3 store's region; us-east-1 with MME_S3_ENDPOINT."),
  AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  AWS_SESSION_TOKEN: z.string().min(1).optional(),
  MME_ASSET_URLS: z
    .enum(["signed", "presigned"])
    .default("signed")
    .describe(
      "signed: asset URLs stream the file through the engine. presigned: they redirect to the S3 store's presigned URL.",
    ),
  MME_ASSET_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(36_500)
    .optional()
    .describe(
      "Assets older than this many days are deleted (their URLs then answer 410); kept for ever when unset.",
    ),
  MME_WORKER_HEARTBEAT_MS: z.coerce.number().int().min(100).default(5000),
  MME_WORKER_STALE_MS: z.coerce.number().int().min(500).default(30_000),
  MME_DEV_MODELS: Flag.default(false).describe(
    "Adds the dev-noop and dev-sleep models, for benchmarks and tests.",
  ),
  MME_WEBHOOK_ALLOW_PRIVATE: Flag.default(false).describe(
    "Let webhooks reach loopback, private and link-local addresses (local development and tests only).",
  ),
  MME_WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .regex(/^\d+(\.\d+)?(,\d+(\.\d+)?)*$/, {
      message: "must be seconds separated by commas, such as 0,5,300",
    })
    .transform((v) => v.split(",").map((s) => Math.round(Number(s) * 1000)))
    .optional()
    .describe("Seconds before each webhook attempt; Svix's 0,5,300,1800,7200,18000,36000,36000 when unset."),
  MME_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
  MME_WEBHOOK_DISABLE_AFTER_HOURS: z.coerce
    .number()
    .min(0.001)
    .default(120)
    .describe("An endpoint whose every delivery has failed for this many hours is disabled."),
  MME_WEBHOOK_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(256)
    .default(16)
    .describe("Webhook deliveries one process sends at once, beside its jobs."),
  MME_UNAUTHENTICATED_RATE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .default(120)
    .describe(
      "Requests without a valid API key (missing, unknown or revoked) one client address may make a minute, per API process; past it they get 429 rate_limited.",
    ),
  MME_TRUSTED_PROXIES: z
    .string()
    .transform((v) => v.split(",").map((s) => s.trim()))
    .refine((list) => list.every(isAddressOrRange), {
      message: "must be IP addresses or CIDR ranges separated by commas, such as 10.0.0.0/8,::1",
    })
    .optional()
    .describe(
      "Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For names the client, for the limit on requests without a valid key; none when unset.",
    ),
  MME_MCP_MAX_SESSIONS: z.coerce
    .number()
    .int()
    .min(1)
    .default(1000)
    .describe(
      "MCP sessions (Streamable HTTP) open at once over every API process on the database; past it the least recently used idle session is closed.",
    ),
  MME_MCP_MAX_SESSIONS_PER_KEY: z.coerce
    .number()
    .int()
    .min(1)
    .default(50)
    .describe(
      "MCP sessions one API key may have open over every API process; past it that key's least recently used idle session is closed.",
    ),
  MME_MCP_ALLOWED_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every((o) => URL.canParse(o)), {
      message: "must be origins separated by commas, such as https://chat.example.com",
    })
    .optional()
    .describe(
      "Browser origins allowed to call /mcp (a request with any other Origin is 403), besides MME_PUBLIC_URL's; loopback origins are also allowed while HOST is loopback. None when unset.",
    ),
  MME_OAUTH: Flag.default(true).describe(
    "0 turns the OAuth authorization server of the MCP endpoints off: /mcp and /sse then take API keys only.",
  ),
  MME_OAUTH_ACCESS_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(86_400)
    .default(3600)
    .describe("How long an OAuth access token works; the client refreshes it after that."),
  MME_OAUTH_REFRESH_TOKEN_TTL_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .describe("How long an OAuth refresh token works unused; each use rotates it."),
  MME_SIGNUP: z
    .enum(["open", "closed"])
    .default("closed")
    .describe(
      "open: anyone may sign up with an email and a password (POST /auth/signup) for a Free account with 25 credits; closed: accounts come from the operator only.",
    ),
  MME_SESSION_TTL_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 366)
    .default(168)
    .describe("How long a browser session lasts after sign-in; 168 hours (a week) unless set."),
  MME_LOGIN_RATE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .default(10)
    .describe(
      "Failed sign-ins one client address, and one email, may make a minute (per API process); past it sign-in answers 429 rate_limited.",
    ),
  MME_SIGNUP_RATE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .default(10)
    .describe(
      "Sign-up attempts one client address may make an hour (per API process); past it 429 rate_limited.",
    ),
  MME_STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, {
      message: "must be a Stripe secret key (sk_live_…, sk_test_… or rk_…)",
    })
    .optional()
    .describe(
      "Turns on buying Starter and Pro by card (Stripe Checkout and the customer portal); the operator changes plans when unset.",
    ),
  MME_STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=_-]+$/, { message: "must be the endpoint's signing secret, whsec_…" })
    .optional()
    .describe("Signing secret of the Stripe webhook endpoint <public URL>/billing/stripe/webhook."),
  MME_STRIPE_PRICE_STARTER: z
    .string()
    .regex(/^price_\w+$/, { message: "must be a Stripe price id, price_…" })
    .optional()
    .describe("The monthly Stripe price of Starter."),
  MME_STRIPE_PRICE_PRO: z
    .string()
    .regex(/^price_\w+$/, { message: "must be a Stripe price id, price_…" })
    .optional()
    .describe("The monthly Stripe price of Pro."),
  MME_STRIPE_API_BASE: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe("Stripe's API root, for tests against a local fake Stripe; https://api.stripe.com when unset."),
  MME_BILLING_GRACE_DAYS: z.coerce
    .number()
    .min(0)
    .max(90)
    .default(7)
    .describe("Days a past-due account (a failed renewal) keeps its plan before it goes back to Free."),
  MME_ENTERPRISE_CONTACT: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe("Shown beside Enterprise on the console's plans, such as 'sales@example.com'."),
  MME_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  MME_LOG_FORMAT: z
    .enum(["json", "pretty"])
    .optional()
    .describe(
      "json: one JSON object a line; pretty: readable lines. pretty on a terminal, json otherwise, when unset.",
    ),
  MME_METRICS: Flag.default(true).describe(
    "0 turns the Prometheus metrics off: nothing is counted and GET /metrics is not served.",
  ),
  MME_METRICS_TOKEN: z
    .string()
    .min(16, { message: "must be at least 16 characters" })
    .optional()
    .describe("When set, GET /metrics wants 'Authorization: Bearer <this>'; open when unset."),
  MME_METRICS_PORT: Port.optional().describe(
    "Serve GET /metrics on this port of its own (on HOST, in every role, the worker's too) instead of the API port.",
  ),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      "An OTLP/HTTP receiver (an OpenTelemetry Collector's, say http://collector:4318): traces are sent to <this>/v1/traces. Tracing is off, and its SDK not loaded, when unset.",
    ),
  OTEL_SERVICE_NAME: z.string().min(1).default("mcp-media-engine").describe("service.name of the traces."),
  // Hosted providers: each is on when its key (or URL) is set. The base URLs exist for proxies and tests.
  OPENAI_API_KEY: z.string().min(1).optional().describe("Turns on gpt-image-2 and openai-tts."),
  OPENAI_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe("OpenAI's API root, with or without the /v1 the official SDKs put at its end."),
  MME_OPENAI_IMAGE_MODEL: z
    .string()
    .min(1)
    .refine((model) => !/^dall-e/i.test(model), {
      message:
        "DALL·E models take other sizes and parameters than the request gpt-image-2 sends; use a gpt-image model",
    })
    .optional()
    .describe("The OpenAI model gpt-image-2 calls (a gpt-image model)."),
  FAL_KEY: z.string().min(1).optional().describe("Turns on flux-2-turbo, seedance and seedance-video."),
  FAL_QUEUE_URL: z.url({ protocol: /^https?$/ }).optional(),
  STABILITY_API_KEY: z.string().min(1).optional().describe("Turns on stable-diffusion through Stability."),
  STABILITY_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  MME_A1111_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe("A self-hosted AUTOMATIC1111 web UI serving stable-diffusion when Stability is not set."),
  ELEVENLABS_API_KEY: z.string().min(1).optional().describe("Turns on elevenlabs."),
  ELEVENLABS_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  MME_A1111_AUTH: z
    .string()
    .regex(/^[^:]+:.+$/, { message: "must be user:password, as given to the web UI's --api-auth" })
    .transform((v) => ({ username: v.slice(0, v.indexOf(":")), password: v.slice(v.indexOf(":") + 1) }))
    .optional()
    .describe(
      "user:password of an AUTOMATIC1111 started with --api-auth, sent as HTTP Basic authentication.",
    ),
  MME_PROVIDER_CONCURRENCY: z
    .string()
    .regex(
      /^(openai|fal|stability|automatic1111|elevenlabs)=\d+(,(openai|fal|stability|automatic1111|elevenlabs)=\d+)*$/,
      {
        message: "must be provider=number pairs separated by commas, such as fal=4,openai=2",
      },
    )
    .transform((v) =>
      Object.fromEntries(v.split(",").map((pair) => [pair.split("=")[0], Number(pair.split("=")[1])])),
    )
    .optional()
    .describe("Requests in flight at once per provider, per worker process; 4 each when unset."),
  MME_MODEL_FALLBACKS: z
    .string()
    .regex(/^[\w.-]+=[\w.-]+(\|[\w.-]+)*(;[\w.-]+=[\w.-]+(\|[\w.-]+)*)*$/, {
      message:
        "must be model=fallback|fallback pairs separated by semicolons, such as flux-2-turbo=stable-diffusion|local-studio",
    })
    .transform((v) =>
      Object.fromEntries(v.split(";").map((pair) => [pair.split("=")[0]!, pair.split("=")[1]!.split("|")])),
    )
    .optional()
    .describe("Models a job moves on to when its model's provider stays down."),
  MME_FALLBACK_FROM_ATTEMPT: z.coerce
    .number()
    .int()
    .min(1)
    .default(2)
    .describe("From this attempt of a job on, a failing provider hands it to the model's fallbacks."),
  MME_PROVIDER_TIMEOUTS: z
    .string()
    .regex(
      /^(openai|fal|stability|automatic1111|elevenlabs)=\d+(,(openai|fal|stability|automatic1111|elevenlabs)=\d+)*$/,
      { message: "must be provider=seconds pairs separated by commas, such as fal=900,elevenlabs=60" },
    )
    .transform((v) =>
      Object.fromEntries(v.split(",").map((pair) => [pair.split("=")[0], Number(pair.split("=")[1]) * 1000])),
    )
    .optional()
    .describe("The longest call to each provider in seconds (for fal, the wait for its result)."),
  MME_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).optional(),
  MME_PROVIDER_POLL_MS: z.coerce.number().int().min(10).optional(),
});
export type Env = z.infer<typeof Env>;

function isAddressOrRange(entry: string): boolean {
  if (!entry.includes("/")) return isIP(entry) !== 0;
  const [address] = entry.split("/");
  return isIP(address!) !== 0 && ipaddr.isValidCIDR(entry);
}

export class EnvError extends Error {}

/** How log lines are written: MME_LOG_FORMAT, else readable on a terminal and JSON anywhere else. */
export function logFormatOf(env: { MME_LOG_FORMAT?: string }): "json" | "pretty" {
  if (env.MME_LOG_FORMAT === "json" || env.MME_LOG_FORMAT === "pretty") return env.MME_LOG_FORMAT;
  return process.stderr.isTTY ? "pretty" : "json";
}

const TracingEnv = Env.pick({ OTEL_EXPORTER_OTLP_ENDPOINT: true, OTEL_SERVICE_NAME: true });
export type TracingEnv = z.infer<typeof TracingEnv>;

/**
 * The tracing settings alone, read before the rest of the engine is loaded (see cli.ts); undefined when tracing is
 * off or they are invalid (readEnv then reports them with the others).
 */
export function readTracingEnv(source: NodeJS.ProcessEnv = process.env): TracingEnv | undefined {
  const parsed = TracingEnv.safeParse({
    OTEL_EXPORTER_OTLP_ENDPOINT: source.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
    OTEL_SERVICE_NAME: source.OTEL_SERVICE_NAME || undefined,
  });
  return parsed.success && parsed.data.OTEL_EXPORTER_OTLP_ENDPOINT ? parsed.data : undefined;
}

/** Parses the environment or throws one message listing every bad variable. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = Env.safeParse(cleaned);
  const issues = parsed.success
    ? storageIssues(parsed.data)
    : parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  if (parsed.success && issues.length === 0) return parsed.data;
  const lines = issues.map((issue) => `  ${issue.path}: ${issue.message}`);
  throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
}

/** The storage settings that are wrong only together. */
function storageIssues(env: Env): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (env.MME_ASSET_URLS === "presigned" && !env.MME_STORAGE_URL) {
    issues.push({
      path: "MME_ASSET_URLS",
      message: "presigned needs an S3 store (MME_STORAGE_URL); the local disk has no presigned URLs",
    });
  }
  const stripe = [
    "MME_STRIPE_SECRET_KEY",
    "MME_STRIPE_WEBHOOK_SECRET",
    "MME_STRIPE_PRICE_STARTER",
    "MME_STRIPE_PRICE_PRO",
  ] as const;
  const missing = stripe.filter((name) => !env[name]);
  if (missing.length > 0 && missing.length < stripe.length) {
    issues.push({
      path: missing.join(", "),
      message: `Stripe billing needs all of ${stripe.join(", ")}; set the missing ones or none`,
    });
  }
  if (Boolean(env.AWS_ACCESS_KEY_ID) !== Boolean(env.AWS_SECRET_ACCESS_KEY)) {
    issues.push({
      path: env.AWS_ACCESS_KEY_ID ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID",
      message: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together",
    });
  }
  return issues;
}

/** The hosted providers this server may call, as the engine takes them. */
export function hostedSettings(env: Env): HostedSettings {
  return {
    ...(env.OPENAI_API_KEY && {
      openai: {
        apiKey: env.OPENAI_API_KEY,
        baseUrl: env.OPENAI_BASE_URL,
        imageModel: env.MME_OPENAI_IMAGE_MODEL,
      },
    }),
    ...(env.FAL_KEY && { fal: { apiKey: env.FAL_KEY, baseUrl: env.FAL_QUEUE_URL } }),
    ...(env.STABILITY_API_KEY && {
      stability: { apiKey: env.STABILITY_API_KEY, baseUrl: env.STABILITY_BASE_URL },
    }),
    ...(env.MME_A1111_URL && { automatic1111: { baseUrl: env.MME_A1111_URL, auth: env.MME_A1111_AUTH } }),
    ...(env.ELEVENLABS_API_KEY && {
      elevenlabs: { apiKey: env.ELEVENLABS_API_KEY, baseUrl: env.ELEVENLABS_BASE_URL },
    }),
    concurrency: env.MME_PROVIDER_CONCURRENCY,
    timeouts: env.MME_PROVIDER_TIMEOUTS,
    timeoutMs: env.MME_PROVIDER_TIMEOUT_MS,
    pollIntervalMs: env.MME_PROVIDER_POLL_MS,
  };
}

/** Billing as the engine takes it: Stripe when its four settings are set, the Enterprise contact, the grace. */
export function billingSettings(env: Env): {
  graceMs: number;
  enterpriseContact?: string;
  stripe?: StripeSettings;
} {
  return {
    graceMs: env.MME_BILLING_GRACE_DAYS * 24 * 3600_000,
    enterpriseContact: env.MME_ENTERPRISE_CONTACT,
    ...(env.MME_STRIPE_SECRET_KEY &&
      env.MME_STRIPE_WEBHOOK_SECRET &&
      env.MME_STRIPE_PRICE_STARTER &&
      env.MME_STRIPE_PRICE_PRO && {
        stripe: {
          secretKey: env.MME_STRIPE_SECRET_KEY,
          webhookSecret: env.MME_STRIPE_WEBHOOK_SECRET,
          prices: { starter: env.MME_STRIPE_PRICE_STARTER, pro: env.MME_STRIPE_PRICE_PRO },
          apiBase: env.MME_STRIPE_API_BASE,
        },
      }),
  };
}

/** The S3 store at `location` as this environment configures it (endpoint, path style, region, credentials). */
export function s3Settings(env: Env, location: S3Location): S3StoreSettings {
  return {
    ...location,
    endpoint: env.MME_S3_ENDPOINT,
    forcePathStyle: env.MME_S3_FORCE_PATH_STYLE,
    region: env.AWS_REGION,
    credentials:
      env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
            sessionToken: env.AWS_SESSION_TOKEN,
          }
        : undefined,
  };
}
