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
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (block.startsWith("event: connected")) connected();
          const data = block.split("\n").find((l) => l.startsWith("data: "));
          if (data && !block.startsWith("event:")) stream.jobs.push(JSON.parse(data.slice(6)));
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

test("a job's creation, start and end arrive on its account's stream, and on no other", async () => {
  const otherKey = await server.newKey();
  const mine = await watch(server.key);
  const theirs = await watch(otherKey);
  const created = await server.api("/v1/jobs", {
    method: "POST",
    body: JSON.stringify({ type: "image", prompt: "sleep 300", model: "dev-sleep" }),
  });
  const { jobId } = (await created.json()) as { jobId: string };

  await expect
    .poll(() => mine.jobs.filter((j) => j.jobId === jobId).map((j) => j.status), { timeout: 30_000 })
    .toContain("completed");
  const seen = mine.jobs.filter((j) => j.jobId === jobId);
  // Each change once, in the order it happened; the last carries the assets.
  const statuses = seen.map((j) => j.status).filter((s, i, all) => s !== all[i - 1]);
  expect(statuses.at(-1)).toBe("completed");
  expect(statuses.indexOf("completed")).toBeGreaterThan(statuses.indexOf(statuses[0]!));
  expect(seen.at(-1)!.result!.assets.length).toBeGreaterThan(0);
  expect(seen.filter((j) => j.status === "completed")).toHaveLength(1);
  expect(theirs.jobs.some((j) => j.jobId === jobId)).toBe(false);
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
