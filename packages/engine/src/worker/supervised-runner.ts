import { EventEmitter } from "node:events";
import { isConnectionError } from "@mcpmediaengine/db";
import type { Runner, WorkerEvents } from "graphile-worker";
import type { Log } from "../logger";

export interface SupervisedRunner {
  stop(): Promise<void>;
}

/**
 * Keeps one graphile-worker runner alive. A runner's promise ends, with an error, when its pool gives up (it does
 * when it cannot record a job's end: "queue is in an inconsistent state; aborting"); unheard, that rejection would
 * end the process. Here a runner that ends without being asked to is replaced, with backoff (the new one waits for
 * the database through its pool), and the jobs the dead one's pool still held are released first so they run again.
 */
export async function superviseRunner(options: {
  name: string;
  log: Log;
  /** The process's event emitter: every event of every runner reaches it as before. */
  events: WorkerEvents;
  start(events: WorkerEvents): Promise<Runner>;
  /** Unlocks the jobs of pools that are gone (graphile_worker.force_unlock_workers). */
  release(poolIds: string[]): Promise<void>;
}): Promise<SupervisedRunner> {
  const { name, log } = options;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let current: { runner: Runner; poolIds: string[] } | undefined;
  let restarting: Promise<void> = Promise.resolve();

  const launch = async () => {
    // Each runner gets an emitter of its own that passes every event on, so the pools it made are known.
    const poolIds: string[] = [];
    const own = new EventEmitter() as WorkerEvents;
    const emit = own.emit.bind(own);
    own.emit = ((event: string, payload: { workerPool?: { id: string } }) => {
      if (event === "pool:create" && payload.workerPool) poolIds.push(payload.workerPool.id);
      emit(event as never, payload as never);
      return options.events.emit(event as never, payload as never);
    }) as typeof own.emit;
    const runner = await options.start(own);
    const launched = { runner, poolIds };
    current = launched;
    runner.promise.then(
      () => ended(launched, undefined),
      (error: unknown) => ended(launched, error),
    );
  };

  const ended = (which: { runner: Runner; poolIds: string[] }, error: unknown) => {
    if (stopping || current !== which) return;
    current = undefined;
    const reason = error === undefined ? "it ended" : String(error instanceof Error ? error.message : error);
    (isConnectionError(error) ? log.debug : log.warn)(
      `${name} runner stopped (${reason}); starting a new one`,
    );
    schedule(which.poolIds, 500);
  };

  const schedule = (deadPools: string[], delayMs: number) => {
    timer = setTimeout(() => {
      restarting = (async () => {
        if (stopping) return;
        try {
          if (deadPools.length > 0) await options.release(deadPools);
          if (stopping) return;
          await launch();
          log.info(`${name} runner running again`);
        } catch (error) {
          if (stopping) return;
          (isConnectionError(error) ? log.debug : log.warn)(`${name} runner could not start yet`, {
            error: String(error),
          });
          schedule(deadPools, Math.min(delayMs * 2, 10_000));
        }
      })();
    }, delayMs);
    timer.unref();
  };

  await launch();
  return {
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await restarting;
      await current?.runner.stop();
    },
  };
}
