import { MediaEngine, type StreamedJobEvent } from "@mcpmediaengine/sdk";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** A fetch that records the paths asked for, and may change what the engine answers. */
function recordingFetch(change?: (path: string, response: Response, call: number) => Response) {
  const paths: string[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    paths.push(url.pathname);
    const response = await fetch(input, init);
    return change ? change(url.pathname, response, paths.length) : response;
  };
  return { paths, fetcher };
}

test("jobs.stream follows a job to its end: status, progress, then the ended job", async () => {
  const engine = new MediaEngine({ apiKey: server.key, baseUrl: server.url });
  const job = await engine.jobs.create({ type: "image", prompt: "sleep 600000", model: "dev-sleep" });
  const events: StreamedJobEvent[] = [];
  for await (const event of engine.jobs.stream(job.jobId)) {
    events.push(event);
    if (event.event === "status" && event.status === "processing") {
      await server.t.pool.query("update jobs set progress = 0.4 where id = $1", [job.jobId]);
    }
    if (event.event === "progress") await engine.jobs.cancel(job.jobId);
  }
  expect(events.map((e) => e.event)).toContain("progress");
  const last = events.at(-1)!;
  expect(last.event).toBe("job");
  if (last.event === "job") expect(last.job.status).toBe("canceled");
  expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((x, y) => x - y));
});

test("jobs.wait follows the stream (no polling), with each event to onEvent", async () => {
  const { paths, fetcher } = recordingFetch();
  const engine = new MediaEngine({ apiKey: server.key, baseUrl: server.url, fetch: fetcher });
  const seen: string[] = [];
  const job = await engine.jobs.createAndWait(
    { type: "image", prompt: "quick", model: "dev-noop" },
    { onEvent: (e) => seen.push(e.event) },
  );
  expect(job.status).toBe("completed");
  expect(job.result!.assets.length).toBeGreaterThan(0);
  expect(seen.at(-1)).toBe("job");
  expect(paths.filter((p) => p === `/v1/jobs/${job.jobId}`)).toHaveLength(0);
  expect(paths).toContain(`/v1/jobs/${job.jobId}/events`);
});

test("jobs.wait polls when the engine has no stream", async () => {
  const { paths, fetcher } = recordingFetch((path, response) =>
    path.endsWith("/events")
      ? new Response(JSON.stringify({ error: { code: "not_found", message: "No such endpoint." } }), {
          status: 404,
        })
      : response,
  );
  const engine = new MediaEngine({ apiKey: server.key, baseUrl: server.url, fetch: fetcher });
  const job = await engine.jobs.createAndWait(
    { type: "image", prompt: "quick", model: "dev-noop" },
    { intervalMs: 50 },
  );
  expect(job.status).toBe("completed");
  expect(paths.filter((p) => p === `/v1/jobs/${job.jobId}`).length).toBeGreaterThan(0);
});

test("a dropped stream is resumed with Last-Event-ID: nothing missed, nothing twice", async () => {
  let cut = false;
  const { fetcher } = recordingFetch((path, response) => {
    if (!path.endsWith("/events") || cut || !response.body) return response;
    cut = true;
    // The first connection breaks after its first event.
    const reader = response.body.getReader();
    let sentEvent = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sentEvent) {
          await reader.cancel();
          return controller.error(new Error("connection reset"));
        }
        const { value, done } = await reader.read();
        if (done) return controller.close();
        controller.enqueue(value);
        if (new TextDecoder().decode(value).includes("event:")) sentEvent = true;
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  });
  const engine = new MediaEngine({ apiKey: server.key, baseUrl: server.url, fetch: fetcher });
  const job = await engine.jobs.create({ type: "image", prompt: "sleep 600000", model: "dev-sleep" });
  const events: StreamedJobEvent[] = [];
  for await (const event of engine.jobs.stream(job.jobId)) {
    events.push(event);
    if (events.length === 1) {
      await server.t.pool.query("update jobs set progress = 0.1 where id = $1 and status = 'processing'", [
        job.jobId,
      ]);
      await engine.jobs.cancel(job.jobId);
    }
  }
  expect(cut).toBe(true);
  const seqs = events.map((e) => e.seq);
  expect(new Set(seqs).size).toBe(seqs.length);
  for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);
  expect(events.at(-1)!.event).toBe("job");
});
