import type { Job, JobList } from "@mcpmediaengine/contract";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";

let server: TestServer;
let otherKey: string;
let job: Job;
beforeAll(async () => {
  server = await startTestServer({ role: "api" });
  otherKey = await server.newKey();
  const response = await server.api("/v1/jobs", {
    method: "POST",
    body: JSON.stringify({ type: "image", prompt: "mine", model: "dev-noop" }),
  });
  job = (await response.json()) as Job;
});
afterAll(() => server.stop());

test.each([
  ["no Authorization header", null],
  ["a key that does not exist", "mme_sk_doesnotexistdoesnotexist"],
  ["something that is not a key", "hunter2"],
])("%s answers 401 on every /v1 endpoint", async (_name, key) => {
  for (const [method, path] of [
    ["GET", "/v1/jobs"],
    ["GET", `/v1/jobs/${job.jobId}`],
    ["POST", `/v1/jobs/${job.jobId}/cancel`],
  ] as const) {
    const response = await server.api(path, { method, key });
    expect(response.status, `${method} ${path}`).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  }
  const submit = await server.api("/v1/jobs", {
    method: "POST",
    key,
    body: JSON.stringify({ type: "image", prompt: "x" }),
  });
  expect(submit.status).toBe(401);
});

test("a key is checked before the body, so a caller without one learns nothing about validation", async () => {
  const response = await server.api("/v1/jobs", {
    method: "POST",
    key: null,
    body: JSON.stringify({ type: "image" }),
  });
  expect(response.status).toBe(401);
});

test("another account's job answers 404, and is absent from its list", async () => {
  const get = await server.api(`/v1/jobs/${job.jobId}`, { key: otherKey });
  expect(get.status).toBe(404);
  const cancel = await server.api(`/v1/jobs/${job.jobId}/cancel`, { method: "POST", key: otherKey });
  expect(cancel.status).toBe(404);
  const list = (await (await server.api("/v1/jobs", { key: otherKey })).json()) as JobList;
  expect(list.data).toEqual([]);
  const own = await server.api(`/v1/jobs/${job.jobId}`);
  expect(own.status).toBe(200);
});

test("only the hash of a key is stored", async () => {
  const rows = await server.t.db.selectFrom("api_keys").selectAll().execute();
  expect(rows.length).toBeGreaterThanOrEqual(2);
  const stored = JSON.stringify(rows);
  expect(stored).not.toContain(server.key);
  expect(stored).not.toContain(otherKey);
});
