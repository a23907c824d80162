import type pg from "pg";
import type { AssetDisk } from "./disk";
import { sleep } from "./load";
import type { Fault } from "./options";
import type { ChaosPostgres } from "./postgres";
import type { EngineProcess, Fleet } from "./processes";
import type { WebhookReceiver } from "./receiver";

/** What the faults act on. */
export interface FaultTargets {
  fleet: Fleet;
  postgres: ChaosPostgres;
  receiver: WebhookReceiver;
  /** The tmpfs under the assets, or why there is none. */
  disk: AssetDisk | string;
  /** The harness's own connection to the engine's database, to find a busy worker. */
  db: pg.Pool;
}

/** A fault as it happened. */
export interface FaultRecord {
  kind: Fault["kind"];
  startedAt: number;
  endedAt: number;
  /** What was done, in a few words. */
  note: string;
  skipped?: string;
  /** A harness problem: the fault could not be carried out as planned. */
  error?: string;
}

/**
 * Runs the schedule: each fault starts at its time after the load began (the faults may overlap) and the
 * promise resolves when every one has finished, or straight away for those not yet due when `signal` aborts.
 */
export async function runFaults(
  faults: Fault[],
  targets: FaultTargets,
  loadStartedAt: number,
  signal: AbortSignal,
  say: (line: string) => void,
): Promise<FaultRecord[]> {
  let turn = 0;
  return Promise.all(
    faults.map(async (fault) => {
      await sleep(loadStartedAt + fault.atMs - Date.now(), signal);
      const startedAt = Date.now();
      let record: FaultRecord;
      if (signal.aborted) {
        record = { kind: fault.kind, startedAt, endedAt: startedAt, note: "", skipped: "run stopped" };
      } else {
        try {
          const outcome = await strike(fault, targets, turn++, signal);
          record = { kind: fault.kind, startedAt, endedAt: Date.now(), ...outcome };
        } catch (error) {
          const message = (error as Error).message;
          record = { kind: fault.kind, startedAt, endedAt: Date.now(), note: "", error: message };
        }
      }
      say(`${record.kind}: ${record.error ? `FAILED: ${record.error}` : (record.skipped ?? record.note)}`);
      return record;
    }),
  );
}

async function strike(
  fault: Fault,
  { fleet, postgres, receiver, disk, db }: FaultTargets,
  turn: number,
  signal: AbortSignal,
): Promise<{ note: string; skipped?: string }> {
  switch (fault.kind) {
    case "kill-worker": {
      const victim = await pickWorker(fleet, db, fault.target === "last-attempt", turn, signal);
      const busy =
        victim.jobs > 0
          ? `running ${victim.jobs} job(s)${victim.lastAttempt ? " on their last attempt" : ""}`
          : "idle";
      await victim.process.kill();
      await victim.process.start();
      return { note: `kill -9 ${victim.process.name} (${busy}); replacement started` };
    }
    case "kill-api": {
      const api = fleet.apis[turn % fleet.apis.length]!;
      await api.kill();
      await api.start();
      return { note: `kill -9 ${api.name}; restarted on port ${api.port}` };
    }
    case "stop-worker": {
      const victim = await pickWorker(fleet, db, false, turn, signal);
      victim.process.signalGroup("SIGSTOP");
      await sleep(fault.forMs, signal);
      victim.process.signalGroup("SIGCONT");
      return {
        note: `SIGSTOP ${victim.process.name} (running ${victim.jobs} job(s)) for ${fault.forMs / 1000} s`,
      };
    }
    case "restart-postgres": {
      await postgres.stop();
      await sleep(fault.downMs, signal);
      await postgres.start();
      return { note: `Postgres stopped (fast shutdown), down ${fault.downMs / 1000} s, started again` };
    }
    case "fill-disk": {
      if (typeof disk === "string") return { note: "", skipped: disk };
      const bytes = await disk.fill();
      await sleep(fault.holdMs, signal);
      await disk.free();
      return {
        note: `asset disk filled (${Math.round(bytes / 1024 / 1024)} MB) for ${fault.holdMs / 1000} s`,
      };
    }
    case "receiver-down": {
      await receiver.down();
      await sleep(fault.forMs, signal);
      await receiver.up();
      return { note: `webhook receiver down for ${fault.forMs / 1000} s` };
    }
  }
}

interface Victim {
  process: EngineProcess;
  /** Jobs it was seen running (0 when none could be found). */
  jobs: number;
  lastAttempt: boolean;
}

/**
 * The worker to strike: one running a job (on its last attempt, when asked: then it waits up to 20 s for such a
 * job), found through the queue entry (its key is the job id), its lock and the heartbeat's process label (`host:pid`); else the next in turn.
 */
async function pickWorker(
  fleet: Fleet,
  db: pg.Pool,
  lastAttempt: boolean,
  turn: number,
  signal: AbortSignal,
): Promise<Victim> {
  const tries = lastAttempt ? 80 : 20;
  for (let i = 0; i < tries && !signal.aborted; i++) {
    const busy = await busyWorkers(db, lastAttempt).catch(() => new Map<number, number>());
    const found = fleet.workers.find((w) => w.pid !== undefined && busy.has(w.pid));
    if (found) return { process: found, jobs: busy.get(found.pid!)!, lastAttempt };
    await sleep(250, signal);
  }
  return { process: fleet.workers[turn % fleet.workers.length]!, jobs: 0, lastAttempt: false };
}

/** Worker pids and how many of our jobs each holds locked, optionally only those on their last attempt. */
async function busyWorkers(db: pg.Pool, lastAttempt: boolean): Promise<Map<number, number>> {
  const { rows } = await db.query<{ label: string; jobs: string }>(
    `select h.process_label as label, count(*) as jobs
     from graphile_worker.jobs g
     join worker_heartbeats h on h.worker_id = g.locked_by
     join jobs j on j.id = g.key
     where g.task_identifier = 'mme.generate' and j.status = 'processing'
       and ($1::boolean = false or g.attempts >= g.max_attempts)
     group by h.process_label`,
    [lastAttempt],
  );
  return new Map(rows.map((r) => [Number(r.label.split(":").at(-1)), Number(r.jobs)]));
}
