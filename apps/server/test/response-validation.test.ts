import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";
import { checked, checkResponse } from "./response-validation";

const headers = { "content-type": "application/json", "x-request-id": "req_1" };
const url = (path: string) => new URL(`http://engine.test/v1${path}`);
const job = "/jobs/job_aaaaaaaaaaaaaaaaaaaaaaaa";
const errorBody = (code: string) => JSON.stringify({ error: { code, message: "x", requestId: "req_1" } });

test("the hook refuses an answer the document does not describe, saying what differs", async () => {
  const wrongBody = new Response(JSON.stringify({ jobId: 1 }), { status: 200, headers });
  await expect(checkResponse("GET", url(job), wrongBody)).rejects.toThrow(/the body does not match/);
  const undocumented = new Response(errorBody("insufficient_credits"), { status: 402, headers });
  await expect(checkResponse("GET", url(job), undocumented)).rejects.toThrow(
    /a status jobs-get does not document/,
  );
  const wrongCode = new Response(errorBody("job_not_cancelable"), { status: 409, headers });
  await expect(
    checkResponse("POST", url("/batches/bat_aaaaaaaaaaaaaaaaaaaaaaaa/cancel"), wrongCode),
  ).rejects.toThrow(/does not list for 409/);
  const noRetryAfter = new Response(errorBody("rate_limited"), { status: 429, headers });
  await expect(checkResponse("GET", url("/jobs"), noRetryAfter)).rejects.toThrow(
    /without the Retry-After header/,
  );
  const badHeader = new Response(errorBody("rate_limited"), {
    status: 429,
    headers: { ...headers, "retry-after": "soon" },
  });
  await expect(checkResponse("GET", url("/jobs"), badHeader)).rejects.toThrow(/headers/);
  const csv = new Response("a,b\n", { status: 200, headers: { ...headers, "content-type": "text/csv" } });
  await expect(checkResponse("GET", url(job), csv)).rejects.toThrow(/content type "text\/csv"/);
  // The ledger documents its CSV form.
  await checkResponse("GET", url("/credits/ledger"), csv);
});

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

test("every answer the suite gets from a test server passes through the hook, whatever made the request", async () => {
  const before = checked.count;
  await server.api("/v1/models");
  await fetch(`${server.url}/v1/jobs`, { headers: { authorization: `Bearer ${server.key}` } });
  await fetch(new Request(`${server.url}/v1/account`));
  // Outside /v1, or not an operation of the document: nothing to hold it to.
  await fetch(`${server.url}/healthz`);
  await server.api("/v1/no-such-thing");
  expect(checked.count - before).toBe(3);
});
