import { setMaxListeners } from "node:events";
import { join } from "node:path";
import pg from "pg";
import { acknowledged, collectDbFacts, evaluate, findTempFiles } from "./checks";
import { Cleanup } from "./cleanup";
import { ApiClient } from "./client";
import { AssetDisk } from "./disk";
import { runFaults } from "./faults";
import { Load, sleep } from "./load";
import type { ChaosOptions } from "./options";
import { ChaosPostgres } from "./postgres";
import { Fleet, freePorts } from "./processes";
import { WebhookReceiver } from "./receiver";
import type { ChaosResult } from "./report";

const API_KEY = "mme_sk_chaos_key_not_a_secret_0001";
/** Time kept back from the deadline for collecting the facts and cleaning up. */
const RESERVE_MS = 25_000;
const FINAL = new Set(["completed", "failed", "canceled"]);

export interface RunControl {
  /** Aborting it (Ctrl-C) stops the run at once: no checks, straight to clean-up. */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/**
 * One chaos run: Postgres, a webhook receiver, two API and two worker processes; the load and the faults at once;
 * a bounded wait for every job and webhook; the checks; and the clean-up of everything, whatever happened.
 */
export async function runChaos(options: ChaosOptions, control: RunControl = {}): Promise<ChaosResult> {
  const startedAt = Date.now();
  const say = (line: string) =>
    (control.log ?? ((l) => process.stderr.write(`${l}\n`)))(
      `[chaos +${((Date.now() - startedAt) / 1000).toFixed(1)} s] ${line}`,
    );
  // One signal for everything that waits: aborted by the deadline or by the caller.
  const stop = new AbortController();
  // Every pending sleep of the load, its retries and the faults listens to it at once.
  setMaxListeners(1000, stop.signal);
  const deadline = setTimeout(
    () => stop.abort(`the run's ${options.deadlineMs / 1000} s deadline came`),
    options.deadlineMs - RESERVE_MS,
  );
  const interrupt = () => stop.abort(control.signal?.reason ?? "interrupted");
  control.signal?.addEventListener("abort", interrupt, { once: true });
  // After an interrupt nothing is waited for or checked: straight to the clean-up.
  const unlessInterrupted = () => {
    if (control.signal?.aborted) throw new Error(String(control.signal.reason ?? "interrupted"));
  };
  // A start-up step is not waited for once the run is stopped (what it started is cleaned up all the same).
  const orStop = <T>(work: Promise<T>): Promise<T> => {
    work.catch(() => {});
    return Promise.race([
      work,
      new Promise<never>((_, reject) => {
        const abort = () => reject(new Error(String(stop.signal.reason)));
        if (stop.signal.aborted) abort();
        stop.signal.addEventListener("abort", abort, { once: true });
      }),
    ]);
  };

  const cleanup = await Cleanup.begin(options.deadlineMs + 60_000);
  const result: ChaosResult = {
    options,
    startedAt,
    endedAt: 0,
    checks: [],
    cleanupProblems: [],
    root: cleanup.root,
  };
  let postgres: ChaosPostgres | undefined;
  let receiver: WebhookReceiver | undefined;
  let fleet: Fleet | undefined;
  let db: pg.Pool | undefined;
  try {
    const [pgPort, apiPort1, apiPort2, hookPort] = (await freePorts(4)) as [number, number, number, number];
    const dataDir = join(cleanup.root, "data");
    const assetsDir = join(dataDir, "assets");
    const disk = options.faults.some((f) => f.kind === "fill-disk")
      ? await AssetDisk.mount(assetsDir, options.assetDiskMb, cleanup)
      : "not scheduled";
    if (typeof disk === "string" && disk !== "not scheduled") say(`the disk fault will be skipped: ${disk}`);

    say(`starting Postgres on port ${pgPort}`);
    postgres = await ChaosPostgres.create(join(cleanup.root, "pg"), pgPort, cleanup);
    await orStop(postgres.start());
    db = new pg.Pool({ connectionString: postgres.url, max: 3 });
    db.on("error", () => {}); // Postgres restarts under it

    receiver = new WebhookReceiver(hookPort);
    await receiver.up();
    say("starting two API and two worker processes");
    fleet = new Fleet(
      {
        DATABASE_URL: postgres.url,
        MME_DATA_DIR: dataDir,
        MME_BOOTSTRAP_API_KEY: API_KEY,
        MME_BOOTSTRAP_CREDITS: "1000000000",
        MME_LOG_LEVEL: "warn",
        ...options.engineEnv,
      },
      [apiPort1, apiPort2],
      cleanup,
    );
    await orStop(fleet.start());
    const client = new ApiClient(fleet.apiUrls, API_KEY);
    receiver.secret = await webhookSecret(client);
    const voices = await localVoices(client);

    say(
      `load for ${options.loadMs / 1000} s at ${options.jobsPerSecond} jobs/s, with ${options.faults.length} faults`,
    );
    const loadStartedAt = Date.now();
    const load = new Load(client, options, receiver.url, voices);
    const [, faults] = await Promise.all([
      load.run(stop.signal),
      runFaults(options.faults, { fleet, postgres, receiver, disk, db }, loadStartedAt, stop.signal, say),
    ]);

    unlessInterrupted();
    const drainStarted = Date.now();
    say("load over; waiting for every job to end and every webhook to arrive");
    await drain(
      db,
      load,
      receiver,
      Math.min(options.drainMs, startedAt + options.deadlineMs - RESERVE_MS - Date.now()),
      stop.signal,
    );
    result.drainSeconds = (Date.now() - drainStarted) / 1000;
    unlessInterrupted();

    say("collecting the facts");
    const collected = {
      loadStartedAt,
      submitted: load.jobs,
      requests: client.records,
      faults,
      webhooks: { jobs: receiver.jobs, deliveries: receiver.deliveries, unverified: receiver.unverified },
      unexpectedExits: fleet.unexpectedExits,
      db: await collectDbFacts(db, assetsDir),
      tmpFiles: await findTempFiles(assetsDir),
      availabilityAim: options.availabilityAim,
    };
    result.collected = collected;
    result.checks = evaluate(collected);
    if (stop.signal.aborted) result.stoppedEarly = String(stop.signal.reason);
  } catch (error) {
    result.stoppedEarly = stop.signal.aborted ? String(stop.signal.reason) : (error as Error).message;
  } finally {
    clearTimeout(deadline);
    control.signal?.removeEventListener("abort", interrupt);
    say("cleaning up");
    await db?.end().catch(() => {});
    await fleet?.stop().catch(() => {});
    await receiver?.down().catch(() => {});
    await postgres?.stop().catch(() => {});
    result.cleanupProblems = await cleanup.sweep();
    result.endedAt = Date.now();
  }
  return result;
}

/**
 * Waits until every acknowledged job is in a final state and every one that asked for a webhook has its terminal
 * event at the receiver; at most `limitMs`. Jobs that never end are the checks' business, not this wait's.
 */
async function drain(
  db: pg.Pool,
  load: Load,
  receiver: WebhookReceiver,
  limitMs: number,
  signal: AbortSignal,
): Promise<void> {
  const acked = acknowledged(load.jobs);
  const ids = acked.map((s) => s.jobId!);
  const until = Date.now() + limitMs;
  for (let i = 0; i < 1000 && Date.now() < until && !signal.aborted; i++) {
    const rows = await db
      .query<{ id: string; status: string }>("select id, status from jobs where id = any($1)", [ids])
      .then((r) => r.rows)
      .catch(() => undefined); // Postgres may be starting again
    if (rows) {
      const status = new Map(rows.map((r) => [r.id, r.status]));
      const ended = acked.every((s) => FINAL.has(status.get(s.jobId!) ?? ""));
      const heard = acked.every((s) => !s.webhook || (receiver.jobs.get(s.jobId!)?.terminal.size ?? 0) > 0);
      if (ended && heard) return;
    }
    await sleep(500, signal);
  }
}

async function webhookSecret(client: ApiClient): Promise<string> {
  const answer = await client.request("GET", "/v1/webhooks/secret");
  const secret = (answer?.body as { secret?: string } | undefined)?.secret;
  if (!secret) throw new Error(`GET /v1/webhooks/secret answered ${answer?.status ?? "nothing"}`);
  return secret;
}

/** local-voice's voices from GET /v1/models; the load spreads its speech over them. */
async function localVoices(client: ApiClient): Promise<string[]> {
  const answer = await client.request("GET", "/v1/models");
  const models =
    (answer?.body as { data?: { id: string; available?: boolean; voices?: string[] }[] })?.data ?? [];
  for (const needed of ["local-studio", "local-voice", "local-motion", "dev-sleep"]) {
    if (!models.some((m) => m.id === needed)) throw new Error(`GET /v1/models does not list ${needed}`);
  }
  return models.find((m) => m.id === "local-voice")?.voices ?? [];
}
