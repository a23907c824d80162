import { createServer, type Server } from "node:net";
import { createTestDatabase, type TestDatabase } from "@mcpmediaengine/testing";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { isConnectionError } from "../src/connection-errors";
import { createPool } from "../src/pool";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

/** What a call really rejects with (these tests check real errors, not hand-made ones, where they can). */
async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );
}

test("nobody listening: ECONNREFUSED is a connection error", async () => {
  const closed = createServer();
  const port = await listen(closed);
  await new Promise((r) => closed.close(r));
  const client = new pg.Client({ connectionString: `postgres://x:y@127.0.0.1:${port}/z` });
  expect(isConnectionError(await failureOf(() => client.connect()))).toBe(true);
});

test("a server that never answers: the pool's connect timeout fails fast, as a connection error", async () => {
  const silent = createServer(() => {}); // accepts, says nothing
  const port = await listen(silent);
  const pool = createPool({ connectionString: `postgres://x:y@127.0.0.1:${port}/z`, connectTimeoutMs: 200 });
  try {
    const error = await failureOf(() => pool.query("select 1"));
    expect(isConnectionError(error)).toBe(true);
  } finally {
    await pool.end();
    silent.close();
  }
});

test("a backend terminated by the server (57P01) is a connection error; a bad query is not", async () => {
  const victim = await t.pool.connect();
  const { rows } = await victim.query<{ pid: number }>("select pg_backend_pid() as pid");
  const syntax = await failureOf(() => victim.query("selec 1"));
  expect((syntax as { code?: string }).code).toBe("42601");
  expect(isConnectionError(syntax)).toBe(false);
  const conflict = await failureOf(() => victim.query("select 1/0"));
  expect(isConnectionError(conflict)).toBe(false);

  await t.pool.query("select pg_terminate_backend($1)", [rows[0]!.pid]);
  const terminated = await failureOf(() => victim.query("select 1"));
  victim.release(true);
  expect(isConnectionError(terminated)).toBe(true);
  // Wrapped, as tRPC and others hand it on.
  expect(isConnectionError(new Error("procedure failed", { cause: terminated }))).toBe(true);
});

test("the SQLSTATEs of a database that is going, starting or full", () => {
  for (const code of ["57P01", "57P02", "57P03", "53300", "08000", "08003", "08006", "08001", "08P01"]) {
    expect(isConnectionError(Object.assign(new Error("x"), { code }))).toBe(true);
  }
  for (const code of ["23505", "40001", "42P01", "28P01", "22012"]) {
    expect(isConnectionError(Object.assign(new Error("x"), { code }))).toBe(false);
  }
  expect(isConnectionError(new Error("Connection terminated unexpectedly"))).toBe(true);
  expect(isConnectionError(new Error("Something else"))).toBe(false);
  expect(isConnectionError(undefined)).toBe(false);
  expect(isConnectionError("ECONNREFUSED")).toBe(false);
});
