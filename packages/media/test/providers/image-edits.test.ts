import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { hostedModels } from "../../src/hosted/models";
import type { InputImage } from "../../src/inputs/input-image";
import { createOpenAiImages } from "../../src/providers/openai-images";
import { createLocalMotionGenerator } from "../../src/video/local-motion";
import { bytes, type FakeServer, json, startFakeServer } from "./fake-server";
import { ctx, HAPPY_TIMEOUT_MS, solidPng } from "./fixtures";

const KEY = "sk-test-openai";
const EDITS = "/v1/images/edits";

async function inputImage(width: number, height: number): Promise<InputImage> {
  return { data: await solidPng(width, height), mimeType: "image/png", width, height };
}

describe("OpenAI image edits", () => {
  let fake: FakeServer;
  beforeEach(async () => {
    fake = await startFakeServer({ provider: "openai" });
  });
  afterEach(async () => {
    await fake.close();
  });

  test("posts the documented multipart form: the image and mask as files, n, size; returns n images at the asked size", async () => {
    const png = await solidPng(1024, 1024);
    fake.route(
      "POST",
      EDITS,
      json(200, {
        created: 1,
        data: [{ b64_json: png.toString("base64") }, { b64_json: png.toString("base64") }],
      }),
    );
    const images = createOpenAiImages({ apiKey: KEY, baseUrl: fake.url, timeoutMs: HAPPY_TIMEOUT_MS });
    const image = await inputImage(640, 480);
    const mask = await inputImage(640, 480);
    const files = await images.edit(
      {
        model: "gpt-image-2",
        prompt: "make it autumn",
        width: 800,
        height: 600,
        format: "png",
        n: 2,
        image,
        mask,
      },
      ctx(),
    );
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.width === 800 && f.height === 600)).toBe(true);
    const sent = fake.requests[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(String(sent.headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
    const form = await sent.formData();
    expect(form.get("model")).toBe("gpt-image-2");
    expect(form.get("prompt")).toBe("make it autumn");
    expect(form.get("n")).toBe("2");
    expect(form.get("size")).toBe("944x704"); // under gpt-image-2's least pixels: drawn larger, scaled down
    const sentImage = form.get("image") as File;
    expect(sentImage.type).toBe("image/png");
    expect(Buffer.from(await sentImage.arrayBuffer()).equals(image.data)).toBe(true);
    expect((form.get("mask") as File).name).toBe("mask.png");
  });

  test("gpt-image-2 in the catalog: an input image goes to the edits endpoint, none to generations, n images either way", async () => {
    const png = await solidPng(1024, 1024);
    const two = json(200, {
      data: [{ b64_json: png.toString("base64") }, { b64_json: png.toString("base64") }],
    });
    fake.route("POST", EDITS, two);
    fake.route("POST", "/v1/images/generations", two);
    const { generators } = hostedModels({
      openai: { apiKey: KEY, baseUrl: fake.url },
      timeoutMs: HAPPY_TIMEOUT_MS,
    });
    const gpt = generators.find((g) => g.model === "gpt-image-2")!;
    const input = {
      prompt: "autumn",
      preset: null,
      width: 512,
      height: 512,
      format: "webp" as const,
      seed: 1,
      n: 2,
    };
    const edited = await gpt.generate({ ...input, mode: "edit" } as never, {
      ...ctx(),
      images: { inputs: [await inputImage(512, 512)] },
    });
    expect(edited.map((f) => f.mimeType)).toEqual(["image/webp", "image/webp"]);
    expect((await sharp(edited[0]!.data).metadata()).width).toBe(512);
    const drawn = await gpt.generate(input as never, ctx());
    expect(drawn).toHaveLength(2);
    expect(fake.requests.map((r) => r.url.pathname)).toEqual([EDITS, "/v1/images/generations"]);
    expect((fake.requests[1]!.json() as { n: number }).n).toBe(2);
  });
});

describe("fal image-to-image and image-to-video", () => {
  let fake: FakeServer;
  beforeEach(async () => {
    fake = await startFakeServer({ provider: "fal" });
  });
  afterEach(async () => {
    await fake.close();
  });

  /** fal's queue answering one request of `app` with `result` (its documented submit, status and result). */
  function queue(endpoint: string, app: string, result: (server: FakeServer) => unknown) {
    const own = (server: FakeServer) => `${server.url}/${app}/requests/r1`;
    fake.route("POST", `/${endpoint}`, (_, server) =>
      json(200, { request_id: "r1", response_url: own(server), status_url: `${own(server)}/status` }),
    );
    fake.route("GET", `/${app}/requests/r1/status`, json(200, { status: "COMPLETED", request_id: "r1" }));
    fake.route("GET", `/${app}/requests/r1`, (_, server) => json(200, result(server)));
  }

  const fal = () =>
    hostedModels({
      fal: { apiKey: "fal-key", baseUrl: fake.url },
      pollIntervalMs: 10,
      timeoutMs: HAPPY_TIMEOUT_MS,
    }).generators;

  test.each([
    ["flux-2-turbo", "fal-ai/flux-2/turbo/edit", "fal-ai/flux-2"],
    ["seedance", "fal-ai/bytedance/seedream/v4/edit", "fal-ai/bytedance"],
  ])("%s with input images asks %s, the images as data URIs, num_images n", async (model, endpoint, app) => {
    const png = await solidPng(1024, 1024);
    queue(endpoint, app, (server) => ({
      images: [{ url: `${server.url}/files/a.png` }, { url: `${server.url}/files/b.png` }],
    }));
    fake.route("GET", "/files/a.png", bytes(png, "image/png"));
    fake.route("GET", "/files/b.png", bytes(await solidPng(1024, 1024, "#cc3333"), "image/png"));
    const generator = fal().find((g) => g.model === model)!;
    const image = await inputImage(600, 400);
    const files = await generator.generate(
      {
        prompt: "autumn",
        preset: null,
        width: 1024,
        height: 768,
        format: "png",
        seed: 4,
        n: 2,
        mode: "edit",
      } as never,
      { ...ctx(), images: { inputs: [image] } },
    );
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.width === 1024 && f.height === 768)).toBe(true);
    const sent = fake.requests.find((r) => r.url.pathname === `/${endpoint}`)!.json() as Record<
      string,
      unknown
    >;
    expect(sent).toMatchObject({ prompt: "autumn", num_images: 2, seed: 4 });
    expect(sent.image_urls).toEqual([`data:image/png;base64,${image.data.toString("base64")}`]);
  });

  test("seedance-video with a still asks the image-to-video endpoint with image_url", async () => {
    // A real clip for fal's answer (our hosted adapter re-encodes it): one local-motion makes.
    const [clip] = await createLocalMotionGenerator().generate(
      {
        prompt: "sea",
        durationSeconds: 2,
        aspectRatio: "16:9",
        width: 320,
        height: 180,
        fps: 10,
        voiceover: null,
        format: "mp4",
        seed: 1,
      },
      ctx(),
    );
    queue("fal-ai/bytedance/seedance/v1/pro/fast/image-to-video", "fal-ai/bytedance", (server) => ({
      video: { url: `${server.url}/files/clip.mp4` },
    }));
    fake.route("GET", "/files/clip.mp4", bytes(clip!.data, "video/mp4"));
    const generator = fal().find((g) => g.model === "seedance-video")!;
    const still = await inputImage(640, 360);
    const input = {
      prompt: "waves",
      durationSeconds: 2,
      aspectRatio: "16:9",
      width: 1280,
      height: 720,
      fps: 30,
      voiceover: null,
      format: "mp4",
      seed: 2,
    };
    const files = await generator.generate(input as never, { ...ctx(), images: { inputs: [still] } });
    expect(files.map((f) => f.role ?? "main")).toEqual(["main", "poster"]);
    const sent = fake.requests.find(
      (r) => r.url.pathname === "/fal-ai/bytedance/seedance/v1/pro/fast/image-to-video",
    )!;
    expect(sent.json()).toMatchObject({
      prompt: "waves",
      image_url: `data:image/png;base64,${still.data.toString("base64")}`,
      duration: "2",
      aspect_ratio: "16:9",
    });
  });
});

describe("stable-diffusion: negativePrompt and n", () => {
  let fake: FakeServer;
  afterEach(async () => {
    await fake.close();
  });
  const input = {
    prompt: "a lighthouse",
    negativePrompt: "people, text",
    preset: null,
    width: 512,
    height: 512,
    format: "png",
    seed: 10,
    n: 2,
  };

  test("Stability: negative_prompt in the form, one request a seed", async () => {
    fake = await startFakeServer({ provider: "stability" });
    fake.route(
      "POST",
      "/v2beta/stable-image/generate/core",
      bytes(await solidPng(512, 512), "image/png", { "finish-reason": "SUCCESS", seed: "10" }),
    );
    const sd = hostedModels({
      stability: { apiKey: "sk-stability", baseUrl: fake.url },
      timeoutMs: HAPPY_TIMEOUT_MS,
    }).generators.find((g) => g.model === "stable-diffusion")!;
    expect(await sd.generate(input as never, ctx())).toHaveLength(2);
    const forms = await Promise.all(fake.requests.map((r) => r.formData()));
    expect(forms.map((f) => [f.get("negative_prompt"), f.get("seed")])).toEqual([
      ["people, text", "10"],
      ["people, text", "11"],
    ]);
  });

  test("AUTOMATIC1111: negative_prompt in the txt2img body, one request a seed", async () => {
    fake = await startFakeServer({ provider: "automatic1111" });
    fake.route(
      "POST",
      "/sdapi/v1/txt2img",
      json(200, { images: [(await solidPng(512, 512)).toString("base64")] }),
    );
    const sd = hostedModels({
      automatic1111: { baseUrl: fake.url },
      timeoutMs: HAPPY_TIMEOUT_MS,
    }).generators.find((g) => g.model === "stable-diffusion")!;
    expect(await sd.generate(input as never, ctx())).toHaveLength(2);
    expect(fake.requests.map((r) => r.json())).toMatchObject([
      { negative_prompt: "people, text", seed: 10 },
      { negative_prompt: "people, text", seed: 11 },
    ]);
  });
});
