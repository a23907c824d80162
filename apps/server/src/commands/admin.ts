import { parseArgs } from "node:util";
import {
  AdminChangePlanRequest,
  AdminCreateAccountRequest,
  AdminCreateKeyRequest,
  AdminCreditsRequest,
  AdminRevokeKeyRequest,
  AppError,
} from "@mcpmediaengine/contract";
import {
  adminChangePlan,
  adminCreateAccount,
  adminCreateKey,
  adminGetAccount,
  adminPostCredits,
  adminRevokeKey,
  createAccountWithKey,
  createLog,
  type EngineContext,
} from "@mcpmediaengine/engine";
import type { z } from "zod";
import { openEngine } from "../boot/start";
import { EnvError, readEnv } from "../env";

/** The admin commands: the same services as the admin API, run against the database in the environment. */
export async function runAdminCommand(
  command: string,
  sub: string | undefined,
  args: string[],
): Promise<number | undefined> {
  const run = (work: (ctx: EngineContext) => Promise<string>) => withEngine(work);
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      plan: { type: "string" },
      credits: { type: "string" },
      account: { type: "string" },
      reason: { type: "string" },
    },
  });
  const [first, second] = positionals;
  switch (`${command} ${sub}`) {
    case "accounts create": {
      const input = parse(AdminCreateAccountRequest, {
        name: values.name,
        plan: values.plan,
        credits: values.credits === undefined ? undefined : Number(values.credits),
      });
      return run(async (ctx) => {
        const created = await adminCreateAccount({ ctx, input });
        return `account ${created.accountId} (${created.plan}, ${created.balance} credits)\nkey     ${created.keyId}\n\n${created.apiKey}`;
      });
    }
    case "accounts show":
      return run(async (ctx) =>
        JSON.stringify(await adminGetAccount({ ctx, input: { accountId: first ?? "" } }), null, 2),
      );
    case "accounts plan": {
      const input = parse(AdminChangePlanRequest, { accountId: first, plan: second });
      return run(async (ctx) => {
        const account = await adminChangePlan({ ctx, input });
        return `account ${account.accountId} is on ${account.plan}; balance ${account.balance}`;
      });
    }
    case "credits add": {
      const input = parse(AdminCreditsRequest, {
        accountId: first,
        credits: Number(second),
        reason: values.reason,
      });
      return run(async (ctx) => {
        const result = await adminPostCredits({ ctx, input });
        return `account ${result.accountId}: balance ${result.balance}`;
      });
    }
    case "keys create": {
      if (!values.account) {
        return run(async (ctx) => {
          const created = await createAccountWithKey({ ctx, name: values.name ?? "default" });
          return `account ${created.accountId}\nkey     ${created.keyId}\n\n${created.apiKey}`;
        });
      }
      const input = parse(AdminCreateKeyRequest, { accountId: values.account, name: values.name });
      return run(async (ctx) => {
        const created = await adminCreateKey({ ctx, input });
        return `account ${created.accountId}\nkey     ${created.keyId}\n\n${created.apiKey}`;
      });
    }
    case "keys revoke": {
      const input = parse(AdminRevokeKeyRequest, { keyId: first });
      return run(async (ctx) => {
        const revoked = await adminRevokeKey({ ctx, input });
        return `key ${revoked.keyId} revoked at ${revoked.revokedAt}`;
      });
    }
    default:
      return undefined;
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new EnvError(
    parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("\n"),
  );
}

async function withEngine(work: (ctx: EngineContext) => Promise<string>): Promise<number> {
  const env = readEnv();
  const log = createLog(env.MME_LOG_LEVEL === "info" ? "warn" : env.MME_LOG_LEVEL);
  const { engine, close } = await openEngine(env, log);
  try {
    process.stdout.write(`${await work(engine)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    process.stderr.write(`mcp-media-engine: ${error.message}\n`);
    return 1;
  } finally {
    await close();
  }
}
