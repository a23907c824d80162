import type { Account, Job, JobEstimate } from "@mcpmediaengine/contract";
import { afterAll, beforeAll, expect, test } from "vitest";
import { eventually, startTestServer, type TestServer } from "./harness";
import { pngSize } from "./mcp-client";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const post = (path: string, body: unknown, key?: string) =>
  server.api(path, { method: "POST", body: JSON.stringify(body), ...(key && { key }) });
const job = async (jobId: string) => (await (await server.api(`/v1/jobs/${jobId}`)).json()) as Job;
const ended = (j: Job) => ["completed", "failed", "canceled"].includes(j.status);
const balance = async () => ((await (await server.api("/v1/account")).json()) as Account).balance;
const download = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());

test("a video job: 202 at once, then an MP4 as long as asked and a poster, priced per second", async () => {
  const response = await post("/v1/jobs", {
    type: "video",
    prompt: "A quiet harbour at dawn",
    durationSeconds: 2,
    aspectRatio: "9:16",
    voiceover: { script: "The harbour wakes slowly.", voice: "en-gb-female" },
    seed: 3,
  });
  expect(response.status).toBe(202);
  const accepted = (await response.json()) as Job;
  expect(accepted).toMatchObject({
    type: "video",
    model: "local-motion",
    status: "queued",
    cost: { credits: 2 },
  });
  expect(accepted.input).toMatchObject({ width: 720, height: 1280, fps: 30, durationSeconds: 2 });
  const done = await eventually(() => job(accepted.jobId), ended);
  expect(done).toMatchObject({ status: "completed", progress: 1, servedBy: { model: "local-motion" } });
  const [video, poster] = done.result!.assets;
  expect(video).toMatchObject({
    role: "main",
    mimeType: "video/mp4",
    width: 720,
    height: 1280,
    durationMs: 2000,
  });
  expect(poster).toMatchObject({ role: "poster", mimeType: "image/png", width: 720, height: 1280 });
  const mp4 = await download(video!.url);
  expect(mp4.subarray(4, 8).toString()).toBe("ftyp");
  expect(mp4.length).toBe(video!.bytes);
  expect(pngSize(await download(poster!.url))).toEqual({ width: 720, height: 1280 });
}, 60_000);

test("an audio job: the speech and its SRT and WebVTT captions, priced per 1,000 characters", async () => {
  const text = "Hello and welcome. This is the voiceover for our launch video.";
  const accepted = (await (
    await post("/v1/jobs", { type: "audio", prompt: text, preset: "voiceover", format: "opus" })
  ).json()) as Job;
  expect(accepted).toMatchObject({ model: "local-voice", cost: { credits: 1 } });
  expect(accepted.input).toMatchObject({ voice: "en-us-female", speed: 1, pitch: 1, format: "opus" });
  const done = await eventually(() => job(accepted.jobId), ended);
  expect(done.status).toBe("completed");
  const [audio, srt, vtt] = done.result!.assets;
  expect(audio).toMatchObject({ role: "main", mimeType: "audio/ogg" });
  expect(audio!.durationMs).toBeGreaterThan(2000);
  expect((await download(audio!.url)).subarray(0, 4).toString()).toBe("OggS");
  expect(srt).toMatchObject({ role: "captions", mimeType: "application/x-subrip" });
  expect(vtt).toMatchObject({ role: "captions", mimeType: "text/vtt" });
  expect((await download(vtt!.url)).toString()).toMatch(
    /^WEBVTT\n\n00:00:00\.000 --> .*\nHello and welcome\.\n/,
  );

  const long = (await (
    await post("/v1/jobs/estimate", { type: "audio", prompt: "a".repeat(2500) })
  ).json()) as JobEstimate;
  expect(long).toMatchObject({ model: "local-voice", credits: 3, available: true });
}, 60_000);

test("bad media input is a 4xx with its code, and nothing is written or charged", async () => {
  const before = await balance();
  const tooLong = await post("/v1/jobs", { type: "audio", prompt: "a".repeat(5001) });
  expect(tooLong.status).toBe(400);
  const tooLongBody = (await tooLong.json()) as { error: { code: string; message: string } };
  expect(tooLongBody.error.code).toBe("invalid_request");
  expect(tooLongBody.error.message).toMatch("at most 5000 characters");

  const voice = await post("/v1/jobs", { type: "audio", prompt: "Hi.", voice: "darth" });
  expect(voice.status).toBe(422);
  expect(((await voice.json()) as { error: unknown }).error).toMatchObject({
    code: "unsupported_input",
    details: { voices: ["en-us-female", "en-us-male", "en-gb-female", "en-gb-male"] },
  });

  for (const body of [
    { type: "video", prompt: "x", durationSeconds: 16 },
    { type: "video", prompt: "x", aspectRatio: "4:3" },
    { type: "video", prompt: "x", preset: "blog_thumbnail" },
    { type: "audio", prompt: "x", format: "flac" },
    { type: "hologram", prompt: "x" },
  ]) {
    const refused = await post("/v1/jobs", body);
    expect(refused.status, JSON.stringify(body)).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
  }

  const hosted = await post("/v1/jobs", { type: "video", prompt: "x", model: "seedance-video" });
  expect(hosted.status).toBe(422);
  expect(((await hosted.json()) as { error: { code: string; message: string } }).error).toMatchObject({
    code: "model_unavailable",
    message: expect.stringMatching(/FAL_KEY/),
  });
  expect(await balance()).toBe(before);
  const list = (await (await server.api("/v1/jobs?type=audio&limit=100")).json()) as { data: Job[] };
  expect(list.data.every((j) => j.status === "completed")).toBe(true);
});

test("a long clip reports its progress while it encodes", async () => {
  const { jobId } = (await (
    await post("/v1/jobs", { type: "video", prompt: "progress", durationSeconds: 12, seed: 1 })
  ).json()) as Job;
  const seen = await eventually(
    () => job(jobId),
    (j) => (j.status === "processing" && j.progress > 0.1 && j.progress < 1) || ended(j),
  );
  expect(seen.status).toBe("processing");
  const done = await eventually(() => job(jobId), ended, 60_000);
  expect(done).toMatchObject({ status: "completed", progress: 1 });
}, 90_000);
