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
  MME_ASSET_URL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .optional()
    .describe("Lifetime of asset URLs; never expire when unset."),
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
  MME_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});
export type Env = z.infer<typeof Env>;

export class EnvError extends Error {}

/** Parses the environment or throws one message listing every bad variable. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = Env.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
}
