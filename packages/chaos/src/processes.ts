import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer, type Server } from "node:net";
import { dirname, join } from "node:path";
import type { Cleanup } from "./cleanup";

export type Role = "api" | "worker";

const BIN = join(
  dirname(createRequire(import.meta.url).resolve("@mcpmediaengine/server/package.json")),
  "bin",
  "mcp-media-engine.mjs",
);

/** A process that ended without the harness asking (a crash: the supervisor starts it again). */
export interface UnexpectedExit {
  name: string;
  code: number | null;
  signal: string | null;
  at: number;
  /** Its last lines of output. */
  tail: string[];
}

/**
 * One `mcp-media-engine start --role <role>` process, in its own process group (so Ctrl-C on the harness does
 * not reach it, and a kill takes its ffmpeg children too). An API process keeps its port across restarts.
 */
export class EngineProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private asked = false;
  readonly tail: string[] = [];

  constructor(
    readonly name: string,
    readonly role: Role,
    private readonly env: Record<string, string>,
    private readonly cleanup: Cleanup,
    private readonly onUnexpectedExit: (process: EngineProcess, exit: UnexpectedExit) => void,
    readonly port?: number,
  ) {}

  get url(): string | undefined {
    return this.port === undefined ? undefined : `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the process and resolves once it says it is listening (API) or working (worker), within 120 s. */
  async start(): Promise<void> {
    this.asked = false;
    const child = spawn(process.execPath, [BIN, "start", "--role", this.role], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/root",
        ...this.env,
        ...(this.port !== undefined && { PORT: String(this.port), HOST: "127.0.0.1" }),
      },
    });
    this.child = child;
    const pid = child.pid!;
    await this.cleanup.trackProcess(pid, this.name);
    let ready: () => void = () => {};
    const readyLine = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const onOutput = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) {
        if (!line.trim()) continue;
        this.tail.push(line.slice(0, 400));
        if (/MCP Media Engine \((api|worker)\) (listening on|working)/.test(line)) ready();
      }
      if (this.tail.length > 80) this.tail.splice(0, this.tail.length - 80);
    };
    child.stdout?.on("data", onOutput);
    child.stderr?.on("data", onOutput);
    this.exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        // Whatever it left running in its group (an ffmpeg) goes with it.
        try {
          process.kill(-pid, "SIGKILL");
        } catch {}
        if (this.child === child) this.child = undefined;
        void this.cleanup.untrackProcess(pid);
        if (!this.asked) {
          this.onUnexpectedExit(this, {
            name: this.name,
            code,
            signal,
            at: Date.now(),
            tail: [...this.tail],
          });
        }
        resolve();
      }),
    );
    const started = await Promise.race([
      readyLine.then(() => "ready" as const),
      this.exited.then(() => "exited" as const),
      new Promise<"late">((r) => setTimeout(() => r("late"), 120_000).unref()),
    ]);
    if (started !== "ready") {
      throw new Error(
        `${this.name} ${started === "exited" ? "exited" : "was not ready within 120 s"}:\n${this.tail.slice(-10).join("\n")}`,
      );
    }
  }

  /** kill -9 of the whole process group; resolves once it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.asked = true;
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {}
    await this.exited;
  }

  /** SIGSTOP (or SIGCONT) to the whole group: the process and its ffmpeg freeze as on a stalled machine. */
  signalGroup(signal: "SIGSTOP" | "SIGCONT"): void {
    if (this.child) process.kill(-this.child.pid!, signal);
  }

  /** SIGTERM and a graceful stop; SIGKILL after 15 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.asked = true;
    try {
      process.kill(-child.pid!, "SIGCONT");
      child.kill("SIGTERM");
    } catch {}
    const stopped = await Promise.race([
      this.exited.then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 15_000).unref()),
    ]);
    if (!stopped) await this.kill();
  }
}

/** How often one process may exit unasked before the supervisor stops starting it again. */
const MAX_RESTARTS = 10;

/**
 * The deployment under test: two API processes and two worker processes on one Postgres and one data folder. Like
 * a process supervisor, it starts a process again when it exits unasked, and keeps the record of it.
 */
export class Fleet {
  readonly apis: EngineProcess[];
  readonly workers: EngineProcess[];
  readonly unexpectedExits: UnexpectedExit[] = [];
  private closing = false;
  private readonly restarts = new Set<Promise<void>>();
  private readonly crashes = new Map<EngineProcess, number>();

  constructor(env: Record<string, string>, apiPorts: [number, number], cleanup: Cleanup) {
    const onExit = (process: EngineProcess, exit: UnexpectedExit) => this.restartLater(process, exit);
    this.apis = apiPorts.map(
      (port, i) => new EngineProcess(`api-${i + 1}`, "api", env, cleanup, onExit, port),
    );
    this.workers = [1, 2].map((i) => new EngineProcess(`worker-${i}`, "worker", env, cleanup, onExit));
  }

  get all(): EngineProcess[] {
    return [...this.apis, ...this.workers];
  }

  get apiUrls(): string[] {
    return this.apis.map((api) => api.url!);
  }

  /** The first API migrates the database and makes the start-up key; the others start once it has. */
  async start(): Promise<void> {
    await this.apis[0]!.start();
    if (this.closing) throw new Error("the fleet was stopped while it started");
    await Promise.all(this.all.slice(1).map((p) => p.start()));
  }

  private restartLater(process: EngineProcess, exit: UnexpectedExit): void {
    this.unexpectedExits.push(exit);
    const crashes = (this.crashes.get(process) ?? 0) + 1;
    this.crashes.set(process, crashes);
    if (this.closing || crashes > MAX_RESTARTS) return;
    const restart = new Promise<void>((r) => setTimeout(r, 1000))
      .then(() => (this.closing ? undefined : process.start()))
      .catch(() => {}); // a failed start is another unexpected exit, already recorded
    this.restarts.add(restart);
    void restart.finally(() => this.restarts.delete(restart));
  }

  /** Graceful stop of every process, in parallel. */
  async stop(): Promise<void> {
    this.closing = true;
    await Promise.all(this.restarts);
    await Promise.all(this.all.map((p) => p.stop()));
  }
}

/** Ports free on loopback now, all different. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
      });
      servers.push(server);
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}
