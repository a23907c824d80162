import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { IMAGE_TO_IMAGE_STRENGTH } from "../../src/hosted/image-to-image";
import { hostedModels } from "../../src/hosted/models";
import type { InputImage } from "../../src/inputs/input-image";
import { createAutomatic1111 } from "../../src/providers/automatic1111";
import { createStability, type StabilityImageToImageRequest } from "../../src/providers/stability";
import { bytes, type FakeServer, json, neverAnswer, startFakeServer } from "./fake-server";
import {
  abortWhen,
  ctx,
  expectAborted,
  expectAccountProblem,
  expectPermanent,
  expectTransient,
  HAPPY_TIMEOUT_MS,
  solidPng,
} from "./fixtures";

const SD3 = "/v2beta/stable-image/generate/sd3";
const INPAINT = "/v2beta/stable-image/edit/inpaint";
const IMG2IMG = "/sdapi/v1/img2img";
const INTERRUPT = "/sdapi/v1/interrupt";

async function inputImage(width: number, height: number, color = "#cc6633"): Promise<InputImage> {
  return { data: await solidPng(width, height, color), mimeType: "image/png", width, height };
}

/** Our mask: opaque (kept) on the left half, transparent (may change) on the right half. */
async function halfMask(width: number, height: number): Promise<InputImage> {
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) rgba[(y * width + x) * 4 + 3] = x < width / 2 ? 255 : 0;
  const data = await sharp(rgba, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
  return { data, mimeType: "image/png", width, height };
}

/** A mask as sent: its size, channels, and its grey at a point on the left and on the right. */
async function readMask(data: Buffer) {
  const { channels } = await sharp(data).metadata();
  const { data: pixels, info } = await sharp(data).raw().toBuffer({ resolveWithObject: true });
  const at = (x: number) => pixels[(Math.floor(info.height / 2) * info.width + x) * info.channels]!;
  return {
    width: info.width,
    height: info.height,
    channels,
    left: at(2),
    right: at(info.width - 3),
  };
}

async function fileOf(form: FormData, name: string): Promise<File> {
  const value = form.get(name);
  expect(value, name).toBeInstanceOf(File);
  return value as File;
}

const stabilityImage = async () =>
  bytes(await solidPng(1024, 1024), "image/png", { "finish-reason": "SUCCESS", seed: "42" });

const stabilityError = (status: number, name: string, errors: string[]) =>
  json(status, { id: "a1b2c3", name, errors });

describe("Stability image-to-image (SD 3.5) and Inpaint", () => {
  let fake: FakeServer;
  let stability: ReturnType<typeof createStability>;
  let request: StabilityImageToImageRequest;

  beforeEach(async () => {
    fake = await startFakeServer({ provider: "stability" });
    stability = createStability({ apiKey: "sk-stability", baseUrl: fake.url, timeoutMs: HAPPY_TIMEOUT_MS });
    request = {
      prompt: "the same bottle in autumn leaves",
      negativePrompt: "text",
      width: 1200,
      height: 630,
      seed: 42,
      format: "png",
      image: await inputImage(800, 600),
      strength: 0.6,
    };
  });
  afterEach(async () => {
    await fake.close();
  });

  test("posts mode image-to-image with the image as a PNG file and the strength; the result is fitted to the asked size", async () => {
    fake.route("POST", SD3, await stabilityImage());
    const [file] = await stability.imageToImage(request, ctx());

    const sent = fake.requests[0]!;
    expect(sent.url.pathname).toBe(SD3);
    expect(sent.headers.authorization).toBe("Bearer sk-stability");
    expect(sent.headers.accept).toBe("image/*");
    const form = await sent.formData();
    const { image, ...fields } = Object.fromEntries(form.entries());
    // No aspect_ratio: the definition takes it for text-to-image only; the output follows the image's shape.
    expect(fields).toEqual({
      prompt: "the same bottle in autumn leaves",
      negative_prompt: "text",
      output_format: "png",
      seed: "42",
      mode: "image-to-image",
      strength: "0.6",
    });
    const sentImage = await fileOf(form, "image");
    expect(sentImage.type).toBe("image/png");
    const meta = await sharp(Buffer.from(await sentImage.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 800, 600]);
    expect(image).toBeDefined();
    expect(file).toMatchObject({ width: 1200, height: 630, mimeType: "image/png" });
  });

  test("an input too big for a 10 MiB request is sent at 1024 px; one under 64 px is enlarged to 64", async () => {
    fake.route("POST", SD3, await stabilityImage());
    await stability.imageToImage({ ...request, image: await inputImage(3000, 2000) }, ctx());
    await stability.imageToImage({ ...request, image: await inputImage(40, 80) }, ctx());
    const sizes = await Promise.all(
      fake.requests.map(async (r) => {
        const file = await fileOf(await r.formData(), "image");
        const meta = await sharp(Buffer.from(await file.arrayBuffer())).metadata();
        return [meta.width, meta.height];
      }),
    );
    expect(sizes).toEqual([
      [1024, 683],
      [64, 128],
    ]);
  });

  test("the strength is held to 0–1", async () => {
    fake.route("POST", SD3, await stabilityImage());
    await stability.imageToImage({ ...request, strength: 1.4 }, ctx());
    expect((await fake.requests[0]!.formData()).get("strength")).toBe("1");
  });

  test("with a mask, the edit goes to Inpaint: the mask white where ours is transparent, no strength or mode", async () => {
    fake.route("POST", INPAINT, await stabilityImage());
    const [file] = await stability.imageToImage({ ...request, mask: await halfMask(800, 600) }, ctx());

    const sent = fake.requests[0]!;
    expect(sent.url.pathname).toBe(INPAINT);
    const form = await sent.formData();
    expect(form.get("mode")).toBeNull();
    expect(form.get("strength")).toBeNull();
    expect(form.get("prompt")).toBe("the same bottle in autumn leaves");
    const mask = await readMask(Buffer.from(await (await fileOf(form, "mask")).arrayBuffer()));
    expect(mask).toEqual({ width: 800, height: 600, channels: 1, left: 0, right: 255 });
    expect(file).toMatchObject({ width: 1200, height: 630 });
  });

  test("a mask is made at the size the image is sent at", async () => {
    fake.route("POST", INPAINT, await stabilityImage());
    await stability.imageToImage(
      { ...request, image: await inputImage(2048, 1536), mask: await halfMask(2048, 1536) },
      ctx(),
    );
    const form = await fake.requests[0]!.formData();
    const mask = await readMask(Buffer.from(await (await fileOf(form, "mask")).arrayBuffer()));
    expect([mask.width, mask.height]).toEqual([1024, 768]);
  });

  test("errors: a public figure (422) is permanent, a flagged prompt (403) is content_policy, a filtered output too", async () => {
    fake.route(
      "POST",
      SD3,
      stabilityError(422, "public_figure", [
        "Our system detected the likeness of a public figure in your image.",
      ]),
    );
    const refused = await expectPermanent(stability.imageToImage(request, ctx()), "provider_error");
    expect(refused.message).toContain("public figure");

    fake.route("POST", SD3, stabilityError(403, "content_moderation", ["Your request was flagged"]));
    await expectPermanent(stability.imageToImage(request, ctx()), "content_policy");

    fake.route(
      "POST",
      SD3,
      bytes(await solidPng(64, 64), "image/png", { "finish-reason": "CONTENT_FILTERED", seed: "1" }),
    );
    await expectPermanent(stability.imageToImage(request, ctx()), "content_policy");
  });

  test("errors: 413 (payload too large) is permanent, 429 and 500 are transient, 402 hands the job on", async () => {
    fake.route(
      "POST",
      INPAINT,
      stabilityError(413, "payload_too_large", ["body: payloads cannot be larger than 10MiB in size"]),
    );
    const masked = { ...request, mask: await halfMask(800, 600) };
    await expectPermanent(stability.imageToImage(masked, ctx()), "provider_error");

    fake.route("POST", SD3, stabilityError(429, "rate_limit_exceeded", ["You have exceeded the rate limit"]));
    await expectTransient(stability.imageToImage(request, ctx()));
    fake.route("POST", SD3, stabilityError(500, "internal_error", ["An unexpected server error"]));
    await expectTransient(stability.imageToImage(request, ctx()));
    fake.route("POST", SD3, stabilityError(402, "payment_required", ["You lack sufficient credits"]));
    const error = await expectAccountProblem(stability.imageToImage(request, ctx()), "credit_exhausted");
    expect(error.message).not.toContain("sk-stability");
  });
});

describe("AUTOMATIC1111 img2img", () => {
  let fake: FakeServer;
  let a1111: ReturnType<typeof createAutomatic1111>;
  let image: InputImage;

  beforeEach(async () => {
    fake = await startFakeServer({ provider: "automatic1111" });
    a1111 = createAutomatic1111({ baseUrl: fake.url, timeoutMs: HAPPY_TIMEOUT_MS });
    image = await inputImage(640, 480);
  });
  afterEach(async () => {
    await fake.close();
  });

  const answer = async () =>
    json(200, { images: [(await solidPng(1200, 632)).toString("base64")], parameters: {}, info: "{}" });

  test("posts init_images (a base64 PNG), denoising_strength and crop-and-resize; the result is fitted", async () => {
    fake.route("POST", IMG2IMG, await answer());
    const [file] = await a1111.imageToImage(
      { prompt: "autumn", negativePrompt: "text", width: 1201, height: 630, seed: 7, image, strength: 0.35 },
      ctx(),
    );
    const body = fake.requests[0]!.json() as Record<string, unknown> & { init_images: string[] };
    expect(body).toEqual({
      prompt: "autumn",
      negative_prompt: "text",
      width: 1200,
      height: 632,
      seed: 7,
      steps: 20,
      init_images: [expect.any(String)],
      denoising_strength: 0.35,
      resize_mode: 1,
    });
    const meta = await sharp(Buffer.from(body.init_images[0]!, "base64")).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 640, 480]);
    expect(file).toMatchObject({ width: 1201, height: 630, mimeType: "image/png" });
  });

  test("with a mask: the mask white where ours is transparent, drawn from the original, the whole picture", async () => {
    fake.route("POST", IMG2IMG, await answer());
    await a1111.imageToImage(
      {
        prompt: "autumn",
        width: 640,
        height: 480,
        seed: 7,
        image,
        strength: 0.6,
        mask: await halfMask(640, 480),
      },
      ctx(),
    );
    const body = fake.requests[0]!.json() as {
      mask: string;
      inpainting_fill: number;
      inpaint_full_res: boolean;
    };
    expect(body).toMatchObject({ inpainting_fill: 1, inpaint_full_res: false, denoising_strength: 0.6 });
    expect(await readMask(Buffer.from(body.mask, "base64"))).toEqual({
      width: 640,
      height: 480,
      channels: 1,
      left: 0,
      right: 255,
    });
  });

  test("errors: 404 (no --api, or the web UI lacks the model) hands the job on; 422 is permanent; 500 transient", async () => {
    const request = { prompt: "x", width: 512, height: 512, seed: 1, image, strength: 0.6 };
    fake.route("POST", IMG2IMG, json(404, { detail: "Not Found" }));
    await expectAccountProblem(a1111.imageToImage(request, ctx()), "model_not_found");
    fake.route(
      "POST",
      IMG2IMG,
      json(422, {
        detail: [{ loc: ["body", "init_images"], msg: "value is not a valid list", type: "type_error" }],
      }),
    );
    const refused = await expectPermanent(a1111.imageToImage(request, ctx()), "provider_error");
    expect(refused.message).toBe("AUTOMATIC1111 answered HTTP 422: value is not a valid list");
    fake.route(
      "POST",
      IMG2IMG,
      json(500, { error: "OutOfMemoryError", detail: "", body: "", errors: "CUDA out of memory" }),
    );
    await expectTransient(a1111.imageToImage(request, ctx()));
  });

  test("aborting an img2img closes it and interrupts the web UI", async () => {
    fake.route("POST", IMG2IMG, neverAnswer);
    fake.route("POST", INTERRUPT, json(200, {}));
    const { signal, reason } = abortWhen(fake.waitForRequest("POST", IMG2IMG));
    await expectAborted(
      a1111.imageToImage({ prompt: "x", width: 512, height: 512, seed: 1, image, strength: 0.6 }, { signal }),
      reason,
    );
    expect(fake.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      `POST ${IMG2IMG}`,
      `POST ${INTERRUPT}`,
    ]);
  });
});

describe("stable-diffusion from an input image", () => {
  let fake: FakeServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const input = (mode: "edit" | "variation" | "reference", n = 1) => ({
    prompt: "a bottle on a beach",
    preset: null,
    width: 512,
    height: 512,
    format: "png",
    seed: 10,
    n,
    inputImages: [{ uploadId: "upl_x", width: 640, height: 480, mimeType: "image/png" }],
    mode,
  });

  test("each mode has its strength: variation keeps most of the image, reference the least", () => {
    expect(IMAGE_TO_IMAGE_STRENGTH.variation).toBeLessThan(IMAGE_TO_IMAGE_STRENGTH.edit);
    expect(IMAGE_TO_IMAGE_STRENGTH.edit).toBeLessThan(IMAGE_TO_IMAGE_STRENGTH.reference);
  });

  test("Stability: the mode's strength, one request a seed, each from the same image", async () => {
    fake = await startFakeServer({ provider: "stability" });
    fake.route("POST", SD3, await stabilityImage());
    const sd = hostedModels({
      stability: { apiKey: "sk-stability", baseUrl: fake.url },
      timeoutMs: HAPPY_TIMEOUT_MS,
    }).generators.find((g) => g.model === "stable-diffusion")!;
    const images = { inputs: [await inputImage(640, 480)] };
    for (const mode of ["variation", "edit", "reference"] as const)
      expect(await sd.generate(input(mode) as never, { ...ctx(), images })).toHaveLength(1);
    expect(await sd.generate(input("variation", 2) as never, { ...ctx(), images })).toHaveLength(2);
    const forms = await Promise.all(fake.requests.map((r) => r.formData()));
    expect(forms.map((f) => [f.get("mode"), f.get("strength"), f.get("seed")])).toEqual([
      ["image-to-image", "0.35", "10"],
      ["image-to-image", "0.6", "10"],
      ["image-to-image", "0.8", "10"],
      ["image-to-image", "0.35", "10"],
      ["image-to-image", "0.35", "11"],
    ]);
  });

  test("Stability: an edit with a mask goes to Inpaint", async () => {
    fake = await startFakeServer({ provider: "stability" });
    fake.route("POST", INPAINT, await stabilityImage());
    const sd = hostedModels({ stability: { apiKey: "sk-stability", baseUrl: fake.url } }).generators.find(
      (g) => g.model === "stable-diffusion",
    )!;
    const images = { inputs: [await inputImage(640, 480)], mask: await halfMask(640, 480) };
    const [file] = await sd.generate({ ...input("edit"), mask: input("edit").inputImages[0] } as never, {
      ...ctx(),
      images,
    });
    expect(file).toMatchObject({ width: 512, height: 512 });
    expect(fake.requests.map((r) => r.url.pathname)).toEqual([INPAINT]);
  });

  test("AUTOMATIC1111: img2img with the mode's denoising_strength; a prompt-only job still uses txt2img", async () => {
    fake = await startFakeServer({ provider: "automatic1111" });
    const png = json(200, { images: [(await solidPng(512, 512)).toString("base64")] });
    fake.route("POST", IMG2IMG, png);
    fake.route("POST", "/sdapi/v1/txt2img", png);
    const sd = hostedModels({
      automatic1111: { baseUrl: fake.url },
      timeoutMs: HAPPY_TIMEOUT_MS,
    }).generators.find((g) => g.model === "stable-diffusion")!;
    await sd.generate(input("reference") as never, {
      ...ctx(),
      images: { inputs: [await inputImage(64, 64)] },
    });
    const { inputImages: _, mode: __, ...promptOnly } = input("edit");
    await sd.generate(promptOnly as never, ctx());
    expect(fake.requests.map((r) => r.url.pathname)).toEqual([IMG2IMG, "/sdapi/v1/txt2img"]);
    expect(fake.requests[0]!.json()).toMatchObject({ denoising_strength: 0.8, seed: 10, resize_mode: 1 });
  });
});
