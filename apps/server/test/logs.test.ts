import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Job } from "@mcpmediaengine/contract";
import { createLog } from "@mcpmediaengine/engine";
import { createTestDatabase } from "@mcpmediaengine/testing";
import { expect, test } from "vitest";
import { runCli } from "./cli";
import { startTestServer, waitForJob } from "./harness";

type Line = Record<string, unknown> & { level: string; msg: string; time: string };

test("log lines are JSON with the request, the account and the job they were written for, and no key", async () => {
  const lines: Line[] = [];
  const server = await startTestServer({
    log: createLog("info", { format: "json", write: (line) => lines.push(JSON.parse(line)) }),
  });
  try {
    const response = await server.api("/v1/jobs", {
      method: "POST",
      body: JSON.stringify({ type: "image", prompt: "logged", model: "dev-noop" }),
    });
    const job = (await response.json()) as Job;
    const requestId = response.headers.get("x-request-id");
    expect((await waitForJob(server, job.jobId)).status).toBe("completed");
    const accountId = (await (await server.api("/v1/account")).json()) as { accountId: string };
    await expect.poll(() => lines.some((l) => l.msg === "job completed")).toBe(true);

    const request = lines.find((l) => l.msg === "request" && l.requestId === requestId);
    expect(request).toMatchObject({
      level: "info",
      method: "POST",
      route: "/v1/jobs",
      status: 202,
      accountId: accountId.accountId,
    });
    expect(Date.parse(request!.time)).not.toBeNaN();
    const completed = lines.find((l) => l.msg === "job completed");
    expect(completed).toMatchObject({ level: "info", jobId: job.jobId, accountId: accountId.accountId });
    // A polled job's lines carry the route pattern, never the id in it.
    expect(lines.some((l) => l.route === "/v1/jobs/{jobId}")).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(server.key);
  } finally {
    await server.stop();
  }
});

test("a field named like a credential is never written", () => {
  const lines: string[] = [];
  const log = createLog("debug", { format: "json", write: (line) => lines.push(line) });
  log.warn("careful", { authorization: "Bearer mme_sk_secret", nested: { apiKey: "k-1", token: "t-1" } });
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toMatch(/mme_sk_secret|k-1|t-1/);
  expect(JSON.parse(lines[0]!)).toMatchObject({
    authorization: "[redacted]",
    nested: { apiKey: "[redacted]" },
  });
});

test("the engine logs JSON lines to stderr when it is not a terminal, and readable lines with MME_LOG_FORMAT=pretty", async () => {
  const t = await createTestDatabase();
  try {
    const env = {
      DATABASE_URL: t.connectionString,
      PORT: "0",
      MME_DATA_DIR: mkdtempSync(join(tmpdir(), "mme-logs-")),
      MME_LOG_LEVEL: "info",
    };
    const json = runCli(["start"], env);
    await json.waitFor(/listening on/, 60_000);
    const url = /listening on (http:\/\/\S+?);/.exec(json.stdout())![1]!;
    const answered = await fetch(`${url}/v1/jobs`);
    await json.waitFor(/"msg":"request"/);
    json.child.kill("SIGTERM");
    expect((await json.exited).code).toBe(0);
    const lines = json
      .stderr()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Line);
    expect(lines.every((l) => typeof l.level === "string" && typeof l.msg === "string")).toBe(true);
    expect(lines.find((l) => l.msg === "request")).toMatchObject({
      route: "/v1/jobs",
      status: 401,
      requestId: answered.headers.get("x-request-id"),
    });
    expect(lines.some((l) => l.msg === "stopped")).toBe(true);

    const pretty = runCli(["start"], { ...env, MME_LOG_FORMAT: "pretty" });
    await pretty.waitFor(/listening on/, 60_000);
    pretty.child.kill("SIGTERM");
    expect((await pretty.exited).code).toBe(0);
    expect(pretty.stderr()).toMatch(/INFO.*: stopped/);
    expect(pretty.stderr()).not.toMatch(/^\{/m);
  } finally {
    await t.drop();
  }
}, 120_000);
