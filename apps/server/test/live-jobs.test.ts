import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

interface Stream {
  jobs: { jobId: string; status: string; progress: number; result: { assets: unknown[] } | null }[];
  ended: Promise<void>;
  close(): void;
}

/** Opens jobs.watch as a browser would (tRPC over Server-Sent Events) and collects the jobs it sends. */
async function watch(key: string): Promise<Stream> {
  const abort = new AbortController();
  const response = await fetch(`${server.url}/trpc/jobs.watch`, {
    headers: { authorization: `Bearer ${key}`, accept: "text/event-stream" },
    signal: abort.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
  const stream: Stream = { jobs: [], ended: Promise.resolve(), close: () => abort.abort() };
  let connected!: () => void;
  const ready = new Promise<void>((r) => {
    connected = r;
  });
  stream.ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let cut = buffer.indexOf("\n\n");
        while (cut >= 0) {
          // One event: `event:` names it (a plain message when absent), `data:` lines carry it.
          const lines = buffer.slice(0, cut).split("\n");
          buffer = buffer.slice(cut + 2);
          const event =
            lines
              .find((l) => l.startsWith("event:"))
              ?.slice(6)
              .trim() ?? "message";
          const data = lines
            .filter((l) => l.startsWith("data:"))
            .map((l) => l.slice(5).trim())
            .join("\n");
          if (event === "connected") connected();
          if (event === "message" && data) stream.jobs.push(JSON.parse(data));
          cut = buffer.indexOf("\n\n");
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
  })();
  await ready;
  return stream;
}

const statusesOf = (stream: Stream, jobId: string) =>
  stream.jobs.filter((j) => j.jobId === jobId).map((j) => j.status);

test("a job's start and end arrive on its account's stream, each once, and on no other stream", async () => {
  const otherKey = await server.newKey();
  const mine = await watch(server.key);
  const theirs = await watch(otherKey);
  // A job that runs until it is canceled: the stream must show it processing whatever the machine's pace.
  const created = await server.api("/v1/jobs", {
    method: "POST",
    body: JSON.stringify({ type: "image", prompt: "sleep 600000", model: "dev-sleep" }),
  });
  const { jobId } = (await created.json()) as { jobId: string };
  await expect.poll(() => statusesOf(mine, jobId), { timeout: 30_000 }).toContain("processing");
  await server.api(`/v1/jobs/${jobId}/cancel`, { method: "POST" });
  await expect.poll(() => statusesOf(mine, jobId), { timeout: 30_000 }).toContain("canceled");
  const statuses = statusesOf(mine, jobId);
  expect(statuses.indexOf("processing")).toBeLessThan(statuses.indexOf("canceled"));
  expect(statuses.filter((s) => s === "canceled")).toHaveLength(1);

  // A job that completes arrives with its assets.
  const quick = await server.api("/v1/jobs", {
    method: "POST",
    body: JSON.stringify({ type: "image", prompt: "quick", model: "dev-noop" }),
  });
  const quickId = ((await quick.json()) as { jobId: string }).jobId;
  await expect.poll(() => statusesOf(mine, quickId), { timeout: 30_000 }).toContain("completed");
  const done = mine.jobs.filter((j) => j.jobId === quickId && j.status === "completed");
  expect(done).toHaveLength(1);
  expect(done[0]!.result!.assets.length).toBeGreaterThan(0);

  expect(theirs.jobs.some((j) => j.jobId === jobId || j.jobId === quickId)).toBe(false);
  mine.close();
  theirs.close();
});

test("a stream needs a key, like every procedure", async () => {
  const response = await fetch(`${server.url}/trpc/jobs.watch`, { headers: { accept: "text/event-stream" } });
  const text = await response.text();
  expect(text).toMatch(/unauthorized/);
  expect(text).not.toMatch(/"jobId"/);
});

test("stopping the server ends the open streams instead of waiting for them", async () => {
  const own = await startTestServer();
  const abort = new AbortController();
  const response = await fetch(`${own.url}/trpc/jobs.watch`, {
    headers: { authorization: `Bearer ${own.key}` },
    signal: abort.signal,
  });
  const drained = (async () => {
    for await (const _ of response.body!);
  })();
  await own.stop();
  // The body ends by itself once the server stops (had it waited for the client, stop() would hang).
  await drained.catch(() => {});
  abort.abort();
});
