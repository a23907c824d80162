import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Job, PLANS } from "@mcpmediaengine/contract";
import type { Generator } from "@mcpmediaengine/media";
import { createTestDatabase, type TestDatabase } from "@mcpmediaengine/testing";
import type { AssetStore } from "../src/assets/store";
import type { Caller, EngineContext, RequestScope } from "../src/context";
import { createEngineContext } from "../src/engine";
import { getJob } from "../src/services/jobs/get";
import { createAccountWithKey } from "../src/services/keys/create-key";

export interface Harness {
  t: TestDatabase;
  ctx: EngineContext;
  scope: RequestScope;
  /** A new account, as the caller its key resolves to. */
  newCaller(): Promise<Caller>;
  close(): Promise<void>;
}

let folders = 0;

export async function createHarness(
  generators: Generator[],
  options: {
    maxAttempts?: number;
    fallbacks?: Record<string, string[]>;
    fallbackFromAttempt?: number;
    runTimeouts?: { defaultMs?: number; byModel?: Record<string, number> };
    assets?: AssetStore;
    assetRetentionDays?: number;
  } = {},
): Promise<Harness> {
  const t = await createTestDatabase();
  const dataDir = join(tmpdir(), `mme-engine-test-${process.pid}-${folders++}`);
  mkdirSync(dataDir, { recursive: true });
  const ctx = await createEngineContext({
    db: t.db,
    dataDir,
    generators,
    maxAttempts: options.maxAttempts ?? 3,
    fallbacks: options.fallbacks,
    fallbackFromAttempt: options.fallbackFromAttempt,
    runTimeouts: options.runTimeouts,
    assets: options.assets,
    assetRetentionDays: options.assetRetentionDays,
  });
  return {
    t,
    ctx,
    scope: { baseUrl: "http://engine.test" },
    async newCaller() {
      const created = await createAccountWithKey({ ctx, name: "test" });
      return { accountId: created.accountId, keyId: created.keyId, limits: PLANS.free.limits };
    },
    close: () => t.drop(),
  };
}

/** Reads the job until `done` holds, failing after `timeoutMs`. */
export async function until(
  h: Harness,
  caller: Caller,
  jobId: string,
  done: (job: Job) => boolean,
  timeoutMs = 30_000,
): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob({ ctx: h.ctx, caller, scope: h.scope, input: { jobId } });
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const ended = (job: Job) => ["completed", "failed", "canceled"].includes(job.status);
