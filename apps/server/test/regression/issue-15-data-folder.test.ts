import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@mcpmediaengine/testing";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type CliProcess, runCli } from "../cli";

// Issue 15, defect 9: one engine per data folder where it runs the folder's embedded Postgres; a second start
// stops at once and names the first. A taken port and a read-only folder are reported first, with their true cause.

const KEY = "mme_sk_test_folder_lock_key_0001";
const folders: string[] = [];
const running: CliProcess[] = [];
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const cli of running) if (cli.child.exitCode === null) cli.child.kill("SIGKILL");
  await Promise.all(running.map((cli) => cli.exited));
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  await t.drop();
});

/** A folder the postgres user can enter (mkdtemp's are 0700). */
function folder(name: string): string {
  const dir = join(tmpdir(), `mme-${name}-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  folders.push(dir);
  return dir;
}

function cli(args: string[], env: Record<string, string>): CliProcess {
  const started = runCli(args, { PORT: "0", MME_BOOTSTRAP_API_KEY: KEY, ...env });
  running.push(started);
  return started;
}

async function listening(engine: CliProcess): Promise<string> {
  await engine.waitFor(/listening on/, 120_000);
  return /listening on (http:\/\/[\d.:]+)/.exec(engine.stdout())![1]!;
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

test("a second engine on the same data folder exits at once naming the first (pid, port); the first serves on", async () => {
  const dataDir = folder("lock");
  const first = cli(["start"], { MME_DATA_DIR: dataDir });
  const url = await listening(first);
  const port = new URL(url).port;

  const second = cli(["start"], { MME_DATA_DIR: dataDir });
  expect((await second.exited).code).toBe(1);
  expect(second.stderr()).toContain(`pid ${first.child.pid}`);
  expect(second.stderr()).toContain(`:${port}`);
  expect(second.stderr()).toContain(dataDir);
  expect(second.stdout()).not.toMatch(/listening/);
  noStack(second.stderr());

  // A second MCP host (stdio, no command) on the folder: the same refusal, and how to reach the running engine.
  const host = cli([], { MME_DATA_DIR: dataDir });
  expect((await host.exited).code).toBe(1);
  expect(host.stderr()).toContain(`pid ${first.child.pid}`);
  expect(host.stderr()).toMatch(/MME_API_URL/);
  expect(host.stdout()).toBe(""); // stdout is the protocol channel
  noStack(host.stderr());

  // A short admin command is no second engine: it works beside the first, on its Postgres.
  const keys = cli(["keys", "create", "--name", "beside"], { MME_DATA_DIR: dataDir });
  expect((await keys.exited).code).toBe(0);
  const key = /(mme_sk_[\w-]+)\n$/.exec(keys.stdout())![1]!;
  const seen = await fetch(`${url}/v1/jobs`, { headers: { authorization: `Bearer ${key}` } });
  expect(seen.status).toBe(200);

  first.child.kill("SIGTERM");
  expect((await first.exited).code).toBe(0);
  expect(existsSync(join(dataDir, "engine.lock"))).toBe(false);
  const next = cli(["start"], { MME_DATA_DIR: dataDir });
  await listening(next);
  next.child.kill("SIGTERM");
  expect((await next.exited).code).toBe(0);
}, 300_000);

test("a stale lock does not block a start: a dead pid, a lock from before a reboot, a pid now used by another program", async () => {
  const dataDir = folder("stale");
  const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
  const stat = readFileSync("/proc/self/stat", "utf8");
  const stale = [
    { pid: dead },
    { pid: process.pid, bootId: "00000000-0000-0000-0000-000000000000" },
    {
      pid: process.pid,
      processStart: String(Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]) - 1),
    },
  ];
  for (const holder of stale) {
    writeFileSync(
      join(dataDir, "engine.lock"),
      JSON.stringify({
        what: "start --role all",
        startedAt: "2020-01-01T00:00:00Z",
        nonce: "old",
        ...holder,
      }),
    );
    const engine = cli(["start"], { MME_DATA_DIR: dataDir });
    await listening(engine);
    const lock = JSON.parse(readFileSync(join(dataDir, "engine.lock"), "utf8")) as {
      pid: number;
      port: number;
    };
    expect(lock.pid).toBe(engine.child.pid);
    expect(lock.port).toBeGreaterThan(0);
    engine.child.kill("SIGTERM");
    expect((await engine.exited).code).toBe(0);
  }
}, 300_000);

test("an engine killed with SIGKILL leaves its lock and its Postgres behind; the next start takes both over", async () => {
  const dataDir = folder("killed");
  const killed = cli(["start"], { MME_DATA_DIR: dataDir });
  await listening(killed);
  const postmaster = Number(readFileSync(join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
  killed.child.kill("SIGKILL");
  await killed.exited;
  expect(() => process.kill(postmaster, 0)).not.toThrow(); // left running, owned by no one

  const next = cli(["start"], { MME_DATA_DIR: dataDir, MME_LOG_LEVEL: "info" });
  const url = await listening(next);
  expect(next.stderr()).toContain(`embedded Postgres (pid ${postmaster}) was left running`);
  expect(() => process.kill(postmaster, 0)).toThrow();
  expect((await fetch(`${url}/v1/jobs`, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
  next.child.kill("SIGTERM");
  expect((await next.exited).code).toBe(0);
}, 300_000);

test("a taken PORT is reported before Postgres is set up (no postgres folder made, no lock left)", async () => {
  const blocker: Server = createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
  const port = (blocker.address() as { port: number }).port;
  const dataDir = folder("port");
  try {
    const engine = cli(["start"], { MME_DATA_DIR: dataDir, PORT: String(port) });
    expect((await engine.exited).code).toBe(1);
    expect(engine.stderr()).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    noStack(engine.stderr());
    expect(existsSync(join(dataDir, "postgres"))).toBe(false);
    expect(existsSync(join(dataDir, "engine.lock"))).toBe(false);
  } finally {
    blocker.close();
  }
});

/** A read-only file system at a fresh folder (tests run as root, where permission bits do not stop writes). */
function readOnlyFolder(): string | undefined {
  const dir = folder("readonly");
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", dir], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  return dir;
}

test("a read-only data folder is refused with the folder and EROFS named; an API process beside a DATABASE_URL may use one", async (context) => {
  const dataDir = readOnlyFolder();
  if (!dataDir) return context.skip("cannot mount a read-only file system here (needs root)");
  try {
    for (const env of <Record<string, string>[]>[
      { MME_DATA_DIR: dataDir }, // embedded Postgres: its files and the lock go there
      { MME_DATA_DIR: dataDir, DATABASE_URL: t.connectionString }, // a worker writes assets there
    ]) {
      const engine = cli(["start"], env);
      expect((await engine.exited).code).toBe(1);
      expect(engine.stderr()).toContain(`The data folder ${dataDir} is not writable (EROFS`);
      noStack(engine.stderr());
    }
    // Serving assets from a shared read-only mount is a fair setup for an API-only process.
    const api = cli(["start", "--role", "api"], { MME_DATA_DIR: dataDir, DATABASE_URL: t.connectionString });
    await listening(api);
    api.child.kill("SIGTERM");
    expect((await api.exited).code).toBe(0);
  } finally {
    execFileSync("umount", [dataDir]);
  }
}, 120_000);
