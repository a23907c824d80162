import type { Account, Job } from "@mcpmediaengine/contract";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";
import { callTool } from "./mcp-client";

// Issue 15: a NUL or a lone surrogate in one submission failed the same account's concurrent valid submissions
// written in the same group commit (142 of 190 in one run). No worker here, so accepted jobs stay queued and hold
// their credits.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ role: "api" });
});
afterAll(() => server.stop());

const json = async <T>(response: Response) => (await response.json()) as T;

test("50 valid submissions sent at once with 5 poisoned ones: every valid one is accepted, each poisoned one is 400, the ledger adds up", async () => {
  const before = await json<Account>(await server.api("/v1/account"));
  const valid = Array.from({ length: 50 }, (_, i) => ({
    type: "image",
    prompt: `valid ${i}`,
    model: "dev-noop",
  }));
  const poisoned: Record<string, unknown>[] = [
    { type: "image", prompt: "a\u0000b", model: "dev-noop" },
    { type: "image", prompt: "a\ud800b", model: "dev-noop" },
    { type: "image", prompt: "x", model: "dev-noop", metadata: { note: "\udfff" } },
    { type: "image", prompt: "x", model: "dev-noop", metadata: { "k\u0000": 1 } },
    { type: "audio", prompt: "hello", voice: "\u0000" },
  ];
  const bodies: Record<string, unknown>[] = [...valid];
  for (const [i, bad] of poisoned.entries()) bodies.splice(3 + i * 10, 0, bad);
  const responses = await Promise.all(
    bodies.map((body) => server.api("/v1/jobs", { method: "POST", body: JSON.stringify(body) })),
  );
  const accepted: Job[] = [];
  for (const [i, response] of responses.entries()) {
    if (poisoned.includes(bodies[i]!)) {
      expect(response.status).toBe(400);
      expect((await json<{ error: { code: string } }>(response)).error.code).toBe("invalid_request");
    } else {
      expect(response.status).toBe(202);
      accepted.push(await json<Job>(response));
    }
  }
  expect(accepted).toHaveLength(50);
  expect(accepted.map((j) => j.input.prompt).sort()).toEqual(valid.map((v) => v.prompt).sort());

  const cost = accepted.reduce((sum, j) => sum + j.cost.credits, 0);
  const after = await json<Account>(await server.api("/v1/account"));
  expect(after.balance).toBe(before.balance - cost);
  expect(after.held).toBe(before.held + cost);
  const ledger = await server.t.db
    .selectFrom("credit_ledger")
    .select((eb) => eb.fn.countAll<string>().as("holds"))
    .where("kind", "=", "hold")
    .executeTakeFirstOrThrow();
  expect(Number(ledger.holds)).toBe(accepted.filter((j) => j.cost.credits > 0).length);
  const jobs = await server.t.db.selectFrom("jobs").select("id").execute();
  expect(jobs.map((j) => j.id).sort()).toEqual(accepted.map((j) => j.jobId).sort());
});

test("MCP tools take the contract's schemas: a NUL or a lone surrogate in a tool's argument is an error result, and no job", async () => {
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${server.key}` } },
    }),
  );
  try {
    const jobsBefore = await server.t.db.selectFrom("jobs").select("id").execute();
    for (const [tool, args] of [
      ["generate_image", { prompt: "a\u0000b" }],
      ["generate_video", { prompt: "x", voiceover: { script: "\ud800" } }],
      ["generate_audio", { prompt: "x", metadata: { note: "\u0000" } }],
      ["list_jobs", { model: "\u0000" }],
    ] as const) {
      const result = await callTool(client, tool, args);
      expect([tool, result.isError]).toEqual([tool, true]);
      expect(JSON.stringify(result.content)).toMatch(/NUL character/);
    }
    expect(await server.t.db.selectFrom("jobs").select("id").execute()).toEqual(jobsBefore);
  } finally {
    await client.close();
  }
});
