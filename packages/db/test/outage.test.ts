import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { isConnectionError } from "../src/connection-errors";
import { DatabaseWatch } from "../src/database-watch";
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from "../src/embedded";
import { createPool } from "../src/pool";

// A Postgres of this file's own, in its own folder, that the tests stop, start and kill.
const dataDir = join(tmpdir(), `mme-db-outage-${process.pid}-${Math.random().toString(36).slice(2)}`);
let port: number;
let postgres: EmbeddedPostgresHandle;
const notices: string[] = [];
const record = {
  info: (m: string) => notices.push(`info ${m}`),
  warn: (m: string) => notices.push(`warn ${m}`),
};

beforeAll(async () => {
  mkdirSync(dataDir, { recursive: true, mode: 0o755 }); // the postgres user must enter it
  port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  postgres = await startEmbeddedPostgres({ dataDir, port, database: "postgres", notices: record });
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const postmasterPid = () =>
  Number(readFileSync(join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);

test("across an outage: the watch says lost once and back once, a patient pool waits, a plain one fails fast", async () => {
  const lines: string[] = [];
  const watch = new DatabaseWatch({
    connectionString: postgres.connectionString,
    log: { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`) },
    probeEveryMs: 200,
    maxDelayMs: 500,
  });
  watch.start();
  const patience = new AbortController();
  const patient = createPool({
    connectionString: postgres.connectionString,
    waitWhileDown: { signal: patience.signal },
  });
  const plain = createPool({ connectionString: postgres.connectionString });
  try {
    await expect.poll(() => watch.up).toBe(true);
    await postgres.stop();
    await expect.poll(() => watch.up).toBe(false);

    const failed = await plain.query("select 1").then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isConnectionError(failed)).toBe(true);
    let answered = false;
    const waiting = patient.query<{ n: number }>("select 42 as n").then((r) => {
      answered = true;
      return r.rows[0]!.n;
    });
    // It has not failed while the database is away (it is still pending after the plain pool's failure).
    await plain.query("select 1").catch(() => {});
    expect(answered).toBe(false);

    let gateOpened = false;
    const gate = watch.whenUp().then(() => {
      gateOpened = true;
    });
    const abandoned = new AbortController();
    const abandonedGate = watch.whenUp(abandoned.signal);
    abandoned.abort();
    await abandonedGate; // a stopping process is not held at the gate
    expect(gateOpened).toBe(false);

    postgres = await startEmbeddedPostgres({ dataDir, port, database: "postgres", notices: record });
    expect(await waiting).toBe(42);
    await gate;
    await expect.poll(() => watch.up).toBe(true);
    expect(lines.filter((l) => l.startsWith("warn database lost"))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith("info database is back"))).toHaveLength(1);
    expect(lines).toHaveLength(2);
  } finally {
    await watch.stop();
    patience.abort();
    await patient.end();
    await plain.end();
  }
});

test("a patient pool stops waiting when its signal aborts, failing with the connection error", async () => {
  await postgres.stop();
  const patience = new AbortController();
  const patient = createPool({
    connectionString: postgres.connectionString,
    waitWhileDown: { signal: patience.signal },
  });
  try {
    const pending = patient.connect().then(
      () => undefined,
      (error: unknown) => error,
    );
    patience.abort();
    expect(isConnectionError(await pending)).toBe(true);
  } finally {
    await patient.end();
    postgres = await startEmbeddedPostgres({ dataDir, port, database: "postgres", notices: record });
  }
});

test("a postmaster killed with SIGKILL is started again on the same port, with one line each way", async () => {
  notices.length = 0;
  const killed = postmasterPid();
  process.kill(killed, "SIGKILL");
  await expect.poll(() => notices.some((n) => n.includes("running again")), { timeout: 60_000 }).toBe(true);
  expect(notices[0]).toMatch(/^warn embedded Postgres exited unexpectedly \(SIGKILL\)/);
  expect(notices.at(-1)).toBe("info embedded Postgres is running again");
  expect(postmasterPid()).not.toBe(killed);
  const pool = createPool({ connectionString: postgres.connectionString });
  try {
    expect((await pool.query("select 1 as one")).rows[0]).toEqual({ one: 1 });
  } finally {
    await pool.end();
  }
});

test("existing: 'replace' stops a Postgres left running on the folder and starts its own; 'join' joins", async () => {
  // A Postgres nobody supervises any more, as a killed engine leaves it (its handle is dropped, never stopped).
  await postgres.stop();
  await startEmbeddedPostgres({ dataDir, port, database: "postgres" });
  const orphan = postmasterPid();
  const joined = await startEmbeddedPostgres({ dataDir, database: "postgres" });
  expect(joined.owned).toBe(false);
  expect(postmasterPid()).toBe(orphan);

  notices.length = 0;
  postgres = await startEmbeddedPostgres({
    dataDir,
    port,
    database: "postgres",
    existing: "replace",
    notices: record,
  });
  expect(postgres.owned).toBe(true);
  expect(postmasterPid()).not.toBe(orphan);
  expect(() => process.kill(orphan, 0)).toThrow();
  expect(notices).toEqual([
    expect.stringMatching(new RegExp(`embedded Postgres \\(pid ${orphan}\\) was left running`)),
  ]);
  const pool = createPool({ connectionString: postgres.connectionString });
  try {
    expect((await pool.query("select 1 as one")).rows[0]).toEqual({ one: 1 });
  } finally {
    await pool.end();
  }
});
