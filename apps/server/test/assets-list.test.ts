import type { AssetList, Job } from "@mcpmediaengine/contract";
import { createAccountWithKey } from "@mcpmediaengine/engine";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer, waitForJob } from "./harness";
import { errorCode } from "./session-client";

let server: TestServer;
let key: string;
const done: Job[] = [];
beforeAll(async () => {
  server = await startTestServer();
  ({ apiKey: key } = await createAccountWithKey({ ctx: server.engine, name: "gallery", plan: "pro" }));
  const requests = [
    { type: "image", prompt: "first picture", model: "dev-noop" },
    { type: "image", prompt: "second picture", model: "dev-noop" },
    { type: "image", prompt: "fails", model: "dev-fail" },
    { type: "audio", prompt: "Spoken words." },
    { type: "video", prompt: "a quiet harbour at dawn", durationSeconds: 1 },
    { type: "image", prompt: "third picture", model: "dev-noop" },
  ];
  // One after another, so the files' order is the submissions' order.
  for (const body of requests) {
    const job = (await (
      await server.api("/v1/jobs", { method: "POST", key, body: JSON.stringify(body) })
    ).json()) as Job;
    done.push((await waitForJob(server, job.jobId, 120_000, key)) as never);
  }
});
afterAll(() => server.stop());

const list = async (query = "", as = key) => {
  const response = await server.api(`/v1/assets${query}`, { key: as });
  expect(response.status).toBe(200);
  return (await response.json()) as AssetList;
};

test("lists every file the account's jobs made, newest first, each with its job; failed jobs made none", async () => {
  const expected = done
    .flatMap((job) => (job.result?.assets ?? []).map((a) => ({ ...a, jobId: job.jobId })))
    .reverse();
  expect(done.map((j) => j.status)).toEqual([
    "completed",
    "completed",
    "failed",
    "completed",
    "completed",
    "completed",
  ]);
  const all = await list("?limit=100");
  expect(all.nextCursor).toBeNull();
  expect(new Set(all.data.map((a) => a.assetId))).toEqual(new Set(expected.map((a) => a.assetId)));
  // Newest first: the last job's file leads, the first job's file ends the list.
  expect(all.data[0]!.jobId).toBe(done[5]!.jobId);
  expect(all.data.at(-1)!.jobId).toBe(done[0]!.jobId);
  const third = all.data[0]!;
  expect(third).toMatchObject({ type: "image", model: "dev-noop", prompt: "third picture", role: "main" });
  // The same file the job shows, with a working signed URL.
  const fromJob = done[5]!.result!.assets[0]!;
  expect(third).toMatchObject({ assetId: fromJob.assetId, sha256: fromJob.sha256, bytes: fromJob.bytes });
  const bytes = Buffer.from(await (await fetch(third.url)).arrayBuffer());
  expect(bytes.length).toBe(fromJob.bytes);
});

test("a video's main file carries its poster's URL; filters by type, model and role", async () => {
  const video = await list("?type=video&role=main");
  expect(video.data).toHaveLength(1);
  const poster = done[4]!.result!.assets.find((a) => a.role === "poster")!;
  expect(video.data[0]).toMatchObject({
    type: "video",
    prompt: "a quiet harbour at dawn",
    posterUrl: poster.url,
  });
  const posters = await list("?role=poster");
  expect(posters.data.map((a) => a.assetId)).toEqual([poster.assetId]);
  expect(posters.data[0]!.posterUrl).toBeNull();
  const noop = await list("?model=dev-noop");
  expect(noop.data.map((a) => a.prompt)).toEqual(["third picture", "second picture", "first picture"]);
  const audio = await list("?type=audio&role=main");
  expect(audio.data.map((a) => a.mimeType)).toEqual([done[3]!.result!.assets[0]!.mimeType]);
});

test("pages by cursor without repeating or skipping a file", async () => {
  const all = await list("?limit=100");
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: AssetList = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
    expect(page.data.length).toBeLessThanOrEqual(2);
    seen.push(...page.data.map((a) => a.assetId));
    cursor = page.nextCursor;
  } while (cursor);
  expect(seen).toEqual(all.data.map((a) => a.assetId));
});

test("another account sees none of these files; a bad cursor or filter is a 400", async () => {
  const other = await server.newKey();
  expect((await list("", other)).data).toEqual([]);
  const badCursor = await server.api("/v1/assets?cursor=bm90LWFuLWlk", { key });
  expect(badCursor.status).toBe(400);
  expect(await errorCode(badCursor)).toBe("invalid_request");
  const badRole = await server.api("/v1/assets?role=thumbnail", { key });
  expect(badRole.status).toBe(400);
});

test("files past the retention period are left out", async () => {
  const first = done[0]!.result!.assets[0]!;
  await server.t.db
    .updateTable("assets")
    .set({ deleted_at: new Date() })
    .where("id", "=", first.assetId)
    .execute();
  const all = await list("?limit=100");
  expect(all.data.map((a) => a.assetId)).not.toContain(first.assetId);
  expect(all.data.length).toBeGreaterThan(0);
});
