import type { Account, Job, ModelList } from "@mcpmediaengine/contract";
import { afterAll, beforeAll, expect, test } from "vitest";
import { FakeProviders, json, mp3, mp4, png } from "./fake-providers";
import { eventually, startTestServer, type TestServer } from "./harness";
import { pngSize } from "./mcp-client";

// One engine with OpenAI, fal, a self-hosted AUTOMATIC1111 and ElevenLabs configured, all pointing at local fakes.
let fake: FakeProviders;
let server: TestServer;
let falUp = true;
const videoRequests = new Set<string>();
// What each fal submission asked for, by endpoint path.
const falInputs: {
  path: string;
  input: { image_size?: { width: number; height: number }; duration?: string; resolution?: string };
}[] = [];
const speechRequests: { path: string; body: unknown }[] = [];
const openAiSpeechInputs: string[] = [];
const img2imgBodies: { init_images: string[]; [field: string]: unknown }[] = [];
beforeAll(async () => {
  fake = await new FakeProviders().start();
  const clip = mp4(5);
  fake.set("POST /v1/images/generations", async (_request, body, response) => {
    const { prompt } = JSON.parse(body.toString()) as { prompt: string };
    if (prompt.includes("forbidden"))
      return json(response, 400, {
        error: { code: "moderation_blocked", message: "Your request was rejected by the safety system." },
      });
    await new Promise((r) => setTimeout(r, 300));
    json(response, 200, { data: [{ b64_json: png(1024, 1024).toString("base64") }] });
  });
  // fal: queue, status, result, file; "down" answers 503 to every submission.
  fake.set("POST /fal-ai/", (request, body, response) => {
    if (!falUp) return json(response, 503, { detail: "Service temporarily unavailable" });
    falInputs.push({ path: request.url!, input: JSON.parse(body.toString()) });
    const app = request.url!.split("/").slice(1, 3).join("/");
    const id = `req-${Math.random().toString(36).slice(2)}`;
    if (request.url!.includes("seedance/")) videoRequests.add(id);
    json(response, 200, {
      request_id: id,
      status_url: `${fake.url}/${app}/requests/${id}/status`,
      response_url: `${fake.url}/${app}/requests/${id}`,
      cancel_url: `${fake.url}/${app}/requests/${id}/cancel`,
    });
  });
  fake.set("GET /fal-ai/", (request, _body, response) => {
    if (request.url!.endsWith("/status")) return json(response, 200, { status: "COMPLETED" });
    if (videoRequests.has(request.url!.split("/")[4]!))
      return json(response, 200, { video: { url: `${fake.url}/files/clip.mp4`, content_type: "video/mp4" } });
    json(response, 200, { images: [{ url: `${fake.url}/files/image.png`, width: 512, height: 512 }] });
  });
  fake.set("GET /files/image.png", (_request, _body, response) => {
    response.writeHead(200, { "content-type": "image/png" }).end(png(512, 512));
  });
  fake.set("GET /files/clip.mp4", (_request, _body, response) => {
    response.writeHead(200, { "content-type": "video/mp4" }).end(clip);
  });
  fake.set("POST /sdapi/v1/txt2img", (_request, _body, response) => {
    json(response, 200, { images: [png(768, 512, "0x22aa44").toString("base64")] });
  });
  fake.set("POST /sdapi/v1/img2img", (_request, body, response) => {
    img2imgBodies.push(JSON.parse(body.toString()));
    json(response, 200, { images: [png(512, 512, "0xaa6622").toString("base64")] });
  });
  const speech = mp3(1);
  fake.set("POST /v1/text-to-speech/", (request, body, response) => {
    speechRequests.push({
      path: new URL(request.url!, fake.url).pathname,
      body: JSON.parse(body.toString()),
    });
    response.writeHead(200, { "content-type": "audio/mpeg" }).end(speech);
  });
  // OpenAI speech: half a second of 24 kHz PCM for each part of a long text.
  fake.set("POST /v1/audio/speech", (_request, body, response) => {
    const { input, response_format } = JSON.parse(body.toString()) as {
      input: string;
      response_format: string;
    };
    openAiSpeechInputs.push(input);
    if (response_format !== "pcm") return json(response, 400, { error: { message: "expected pcm here" } });
    response.writeHead(200, { "content-type": "audio/pcm" }).end(Buffer.alloc(24_000));
  });
  server = await startTestServer({
    env: {
      ELEVENLABS_API_KEY: "xi-test-key",
      ELEVENLABS_BASE_URL: fake.url,
      OPENAI_API_KEY: "sk-test-openai",
      OPENAI_BASE_URL: fake.url,
      FAL_KEY: "fal-test-key",
      FAL_QUEUE_URL: fake.url,
      MME_A1111_URL: fake.url,
      MME_PROVIDER_CONCURRENCY: "openai=2",
      MME_WORKER_CONCURRENCY: "8",
      MME_MODEL_FALLBACKS: "flux-2-turbo=stable-diffusion",
      MME_FALLBACK_FROM_ATTEMPT: "1",
      MME_PROVIDER_POLL_MS: "20",
    },
  });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

const submit = async (body: object) => {
  const response = await server.api("/v1/jobs", { method: "POST", body: JSON.stringify(body) });
  expect(response.status).toBe(202);
  return (await response.json()) as Job;
};
const ended = (j: Job) => ["completed", "failed", "canceled"].includes(j.status);
const finish = async (jobId: string) =>
  eventually(async () => (await (await server.api(`/v1/jobs/${jobId}`)).json()) as Job, ended, 60_000);

test("configured providers' models are listed as available", async () => {
  const { data } = (await (await server.api("/v1/models")).json()) as ModelList;
  const byId = Object.fromEntries(data.map((m) => [m.id, m]));
  for (const id of [
    "gpt-image-2",
    "openai-tts",
    "flux-2-turbo",
    "seedance",
    "seedance-video",
    "stable-diffusion",
    "elevenlabs",
  ])
    expect(byId[id]!.available, id).toBe(true);
  expect(byId["local-voice"]!.available).toBe(true);
});

test("gpt-image-2: the provider's image is stored as ours, at the size asked, and no provider URL reaches the user", async () => {
  const job = await finish(
    (await submit({ type: "image", prompt: "a fox", model: "gpt-image-2", width: 800, height: 600 })).jobId,
  );
  expect(job).toMatchObject({ status: "completed", servedBy: { model: "gpt-image-2", provider: "openai" } });
  const asset = job.result!.assets[0]!;
  expect(asset.url.startsWith(server.url)).toBe(true);
  expect(pngSize(Buffer.from(await (await fetch(asset.url)).arrayBuffer()))).toEqual({
    width: 800,
    height: 600,
  });
  const call = fake.seen.find((s) => s.path === "/v1/images/generations")!;
  expect(call.headers.authorization).toBe("Bearer sk-test-openai");
});

test("a content-policy refusal fails the job at once with content_policy, and its credits come back", async () => {
  const before = ((await (await server.api("/v1/account")).json()) as { balance: number }).balance;
  const job = await finish(
    (await submit({ type: "image", prompt: "something forbidden", model: "gpt-image-2" })).jobId,
  );
  expect(job).toMatchObject({ status: "failed", attempts: 1, error: { code: "content_policy" } });
  expect(((await (await server.api("/v1/account")).json()) as { balance: number }).balance).toBe(before);
});

test("six jobs at once reach OpenAI two at a time, as the provider's limit says", async () => {
  const jobs = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      submit({ type: "image", prompt: `limit ${i}`, model: "gpt-image-2" }),
    ),
  );
  const done = await Promise.all(jobs.map((j) => finish(j.jobId)));
  expect(done.every((j) => j.status === "completed")).toBe(true);
  expect(fake.maxInFlight.get("POST /v1/images/generations")).toBe(2);
});

test("flux-2-turbo through fal's queue; when fal is down, the job moves on to stable-diffusion", async () => {
  const up = await finish(
    (await submit({ type: "image", prompt: "a harbour", model: "flux-2-turbo", width: 640, height: 640 }))
      .jobId,
  );
  expect(up).toMatchObject({ status: "completed", servedBy: { model: "flux-2-turbo", provider: "fal" } });
  expect(fake.seen.find((s) => s.path === "/fal-ai/flux-2/turbo")!.headers.authorization).toBe(
    "Key fal-test-key",
  );

  falUp = false;
  try {
    const down = await finish(
      (await submit({ type: "image", prompt: "a harbour", model: "flux-2-turbo" })).jobId,
    );
    expect(down).toMatchObject({
      status: "completed",
      model: "flux-2-turbo",
      servedBy: { model: "stable-diffusion", provider: "automatic1111" },
    });
  } finally {
    falUp = true;
  }
});

test("stable-diffusion: an image job with inputImages reaches the web UI's img2img with the upload and the mode's strength", async () => {
  const uploaded = await server.api("/v1/uploads", {
    method: "POST",
    body: new Uint8Array(png(320, 240, "0x884422")),
    headers: { "content-type": "image/png" },
  });
  expect(uploaded.status).toBe(200);
  const { uploadId } = (await uploaded.json()) as { uploadId: string };
  const job = await submit({
    type: "image",
    model: "stable-diffusion",
    prompt: "the same bottle on a beach",
    inputImages: [uploadId],
    mode: "variation",
    width: 512,
    height: 512,
    seed: 5,
  });
  expect(await finish(job.jobId)).toMatchObject({
    status: "completed",
    servedBy: { model: "stable-diffusion", provider: "automatic1111" },
    result: { assets: [{ role: "main", width: 512, height: 512 }] },
  });
  expect(img2imgBodies).toHaveLength(1);
  expect(img2imgBodies[0]).toMatchObject({
    prompt: "the same bottle on a beach",
    denoising_strength: 0.35,
    seed: 5,
    width: 512,
    height: 512,
  });
  // The upload's own picture, as a PNG at its size.
  expect(pngSize(Buffer.from(img2imgBodies[0]!.init_images[0]!, "base64"))).toEqual({
    width: 320,
    height: 240,
  });

  // One image is what it takes: two are refused at submission.
  const refused = await server.api("/v1/jobs", {
    method: "POST",
    body: JSON.stringify({
      type: "image",
      model: "stable-diffusion",
      prompt: "x",
      inputImages: [uploadId, uploadId],
    }),
  });
  expect(refused.status).toBe(422);
  expect(await refused.json()).toMatchObject({ error: { code: "unsupported_input" } });
});

test("seedance (Seedream v4): a blog_thumbnail is asked of fal at a size it takes, and stored at 1200×630", async () => {
  const job = await finish(
    (await submit({ type: "image", prompt: "Launch notes", model: "seedance", preset: "blog_thumbnail" }))
      .jobId,
  );
  expect(job).toMatchObject({ status: "completed", servedBy: { model: "seedance", provider: "fal" } });
  const { width, height } = falInputs.find((c) => c.path.includes("/seedream/v4/"))!.input.image_size!;
  // Seedream v4 takes 960×960 to 4096×4096 pixels: 1200×630 is scaled up with its ratio kept.
  expect(width * height).toBeGreaterThanOrEqual(960 * 960);
  expect(Math.abs(width / height - 1200 / 630)).toBeLessThan(0.01);
  const asset = job.result!.assets[0]!;
  expect(pngSize(Buffer.from(await (await fetch(asset.url)).arrayBuffer()))).toEqual({
    width: 1200,
    height: 630,
  });
});

test("seedance-video: fal's clip becomes our H.264 + AAC MP4 at the length asked, with a poster", async () => {
  const job = await finish(
    (await submit({ type: "video", prompt: "waves", model: "seedance-video", durationSeconds: 3 })).jobId,
  );
  expect(job).toMatchObject({ status: "completed", servedBy: { provider: "fal" } });
  const [video, poster] = job.result!.assets;
  expect(video).toMatchObject({ mimeType: "video/mp4", width: 1280, height: 720, durationMs: 3000 });
  expect(poster).toMatchObject({ role: "poster", mimeType: "image/png" });
  // A live Seedance endpoint, asked for the seconds the job pays for and for 720p (its default is 1080p).
  expect(falInputs.filter((call) => call.path.includes("seedance/"))).toEqual([
    {
      path: "/fal-ai/bytedance/seedance/v1/pro/fast/text-to-video",
      input: expect.objectContaining({ duration: "3", resolution: "720p", aspect_ratio: "16:9" }),
    },
  ]);

  const refused = await server.api("/v1/jobs", {
    method: "POST",
    body: JSON.stringify({ type: "video", prompt: "x", model: "seedance-video", durationSeconds: 13 }),
  });
  expect(refused.status).toBe(422);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("unsupported_input");
});

test("elevenlabs: the job's speed and seed reach ElevenLabs; a speed it does not take is refused and nothing is charged", async () => {
  const balance = async () => ((await (await server.api("/v1/account")).json()) as Account).balance;
  const before = await balance();
  const refused = await server.api("/v1/jobs", {
    method: "POST",
    body: JSON.stringify({ type: "audio", prompt: "Hello there.", model: "elevenlabs", speed: 1.5 }),
  });
  expect(refused.status).toBe(422);
  expect(((await refused.json()) as { error: unknown }).error).toMatchObject({
    code: "unsupported_input",
    message: "elevenlabs: speed must be between 0.7 and 1.2.",
    details: { speed: 1.5, min: 0.7, max: 1.2 },
  });
  expect(await balance()).toBe(before);
  // The limit is ElevenLabs' own: OpenAI takes the same speed.
  const openai = await server.api("/v1/jobs/estimate", {
    method: "POST",
    body: JSON.stringify({ type: "audio", prompt: "Hello there.", model: "openai-tts", speed: 1.5 }),
  });
  expect(openai.status).toBe(200);

  // Rachel, a legacy voice there, is still accepted and speaks as Sarah.
  const job = await finish(
    (
      await submit({
        type: "audio",
        prompt: "Hello there.",
        model: "elevenlabs",
        voice: "21m00Tcm4TlvDq8ikWAM",
        speed: 1.15,
        seed: 2_000_000_000,
      })
    ).jobId,
  );
  expect(job).toMatchObject({ status: "completed", input: { voice: "EXAVITQu4vr4xnSDxMaL" } });
  expect(job.result!.assets[0]).toMatchObject({ mimeType: "audio/mpeg" });
  expect(speechRequests).toEqual([
    {
      path: "/v1/text-to-speech/EXAVITQu4vr4xnSDxMaL",
      body: {
        text: "Hello there.",
        model_id: "eleven_multilingual_v2",
        voice_settings: { speed: 1.15 },
        seed: 2_000_000_000,
      },
    },
  ]);
});

test("openai-tts: 5,000 characters, more than OpenAI takes at once, are spoken in two parts and stored as one file", async () => {
  const text = Array.from({ length: 400 }, (_, i) => `This is sentence ${i + 1}.`)
    .join(" ")
    .slice(0, 5000);
  const job = await finish((await submit({ type: "audio", prompt: text, model: "openai-tts" })).jobId);
  expect(job).toMatchObject({ status: "completed", cost: { credits: 10 } });
  expect(job.result!.assets[0]).toMatchObject({ mimeType: "audio/mpeg", durationMs: 1000 });
  expect(openAiSpeechInputs).toHaveLength(2);
  expect(openAiSpeechInputs.every((input) => input.length <= 4096)).toBe(true);
  expect(openAiSpeechInputs.join(" ")).toBe(text.trim());
});
