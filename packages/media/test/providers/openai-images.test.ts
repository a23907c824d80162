import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ProviderAccountError } from "../../src/generator";
import {
  createOpenAiImages,
  GPT_IMAGE_2_SIZES,
  type OpenAiImageRequest,
  openAiImageSize,
} from "../../src/providers/openai-images";
import { type FakeServer, json, neverAnswer, startFakeServer, truncatedJson } from "./fake-server";
import {
  abortTests,
  ctx,
  expectAccountProblem,
  expectPermanent,
  expectTransient,
  HAPPY_TIMEOUT_MS,
  SHORT_TIMEOUT_MS,
  solidPng,
} from "./fixtures";

const PATH = "/v1/images/generations";
const KEY = "sk-test-openai";

// OpenAI's error body: { error: { message, type, param, code } }.
function openAiError(
  status: number,
  code: string | null,
  message: string,
  headers: Record<string, string> = {},
) {
  return json(status, { error: { message, type: "invalid_request_error", param: null, code } }, headers);
}

describe("OpenAI images", () => {
  let fake: FakeServer;
  let images: ReturnType<typeof createOpenAiImages>;
  const request: OpenAiImageRequest = {
    model: "gpt-image-1",
    prompt: "a lighthouse at dusk",
    width: 1200,
    height: 630,
    format: "webp",
  };

  beforeEach(async () => {
    fake = await startFakeServer({ provider: "openai" });
    images = createOpenAiImages({ apiKey: KEY, baseUrl: fake.url, timeoutMs: HAPPY_TIMEOUT_MS });
  });
  afterEach(async () => {
    await fake.close();
  });

  test("posts the documented request and returns the image at the asked size and format", async () => {
    const png = await solidPng(1536, 1024);
    fake.route("POST", PATH, json(200, { created: 1, data: [{ b64_json: png.toString("base64") }] }));
    const progress: number[] = [];

    const [file, ...rest] = await images.generate(
      request,
      ctx((f) => progress.push(f)),
    );

    expect(rest).toHaveLength(0);
    const sent = fake.requests[0]!;
    expect(sent.method).toBe("POST");
    expect(sent.url.pathname).toBe(PATH);
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.headers["content-type"]).toBe("application/json");
    expect(sent.json()).toEqual({
      model: "gpt-image-1",
      prompt: "a lighthouse at dusk",
      n: 1,
      size: "1536x1024",
      output_format: "webp",
    });
    expect(file).toMatchObject({ mimeType: "image/webp", extension: "webp", width: 1200, height: 630 });
    const meta = await sharp(file!.data).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 1200, 630]);
    expect(progress.at(-1)).toBeLessThanOrEqual(1);
  });

  test.each([
    [1024, 1024, "1024x1024"],
    [1920, 1080, "1536x1024"],
    [1080, 1920, "1024x1536"],
    [1100, 1000, "1024x1024"],
  ])("%i×%i asks for %s", (width, height, size) => {
    expect(openAiImageSize(width, height)).toBe(size);
  });

  test.each([
    [1200, 630, "1200x624"], // the blog_thumbnail preset: drawn whole, not cropped from 1536×1024
    [1024, 1024, "1024x1024"],
    [1920, 1080, "1920x1088"],
    [512, 512, "816x816"], // below 655,360 pixels: drawn larger, scaled down
    [4096, 4096, "2880x2880"], // above 8,294,400 pixels: drawn smaller, scaled up
    [4096, 64, "1440x480"], // beyond 3:1 and under 655,360 pixels: drawn at 3:1 and cropped
  ])("gpt-image-2: %i×%i asks for %s", (width, height, size) => {
    expect(openAiImageSize(width, height, "gpt-image-2")).toBe(size);
  });

  test("gpt-image-2: every size the contract allows becomes one the model draws, of nearly the asked shape", () => {
    const { step, maxSide, maxRatio, minPixels, maxPixels } = GPT_IMAGE_2_SIZES;
    for (let width = 64; width <= 4096; width += 97)
      for (let height = 64; height <= 4096; height += 89) {
        const [w, h] = openAiImageSize(width, height, "gpt-image-2").split("x").map(Number) as [
          number,
          number,
        ];
        const where = `${width}×${height} → ${w}×${h}`;
        expect(w % step === 0 && h % step === 0, where).toBe(true);
        expect(Math.max(w, h) <= maxSide && Math.max(w / h, h / w) <= maxRatio, where).toBe(true);
        expect(w * h >= minPixels && w * h <= maxPixels, where).toBe(true);
        const asked = Math.min(maxRatio, Math.max(1 / maxRatio, width / height));
        expect(Math.abs(Math.log(w / h / asked)), where).toBeLessThan(0.05);
      }
  });

  test("gpt-image-2 is sent the blog thumbnail's own size", async () => {
    fake.route(
      "POST",
      PATH,
      json(200, { data: [{ b64_json: (await solidPng(1200, 624)).toString("base64") }] }),
    );
    const [file] = await images.generate({ ...request, model: "gpt-image-2" }, ctx());
    expect(fake.requests[0]!.json()).toMatchObject({ model: "gpt-image-2", size: "1200x624" });
    expect(file).toMatchObject({ width: 1200, height: 630 });
  });

  test("jpeg output is a jpeg", async () => {
    const png = await solidPng(1024, 1024);
    fake.route("POST", PATH, json(200, { data: [{ b64_json: png.toString("base64") }] }));
    const [file] = await images.generate({ ...request, format: "jpeg", width: 300, height: 300 }, ctx());
    expect(file).toMatchObject({ mimeType: "image/jpeg", extension: "jpeg", width: 300, height: 300 });
    expect((await sharp(file!.data).metadata()).format).toBe("jpeg");
  });

  test("429 is transient and keeps Retry-After", async () => {
    fake.route(
      "POST",
      PATH,
      openAiError(429, "rate_limit_exceeded", "Rate limit reached", { "retry-after": "12" }),
    );
    const error = await expectTransient(images.generate(request, ctx()));
    expect(error.retryAfterMs).toBe(12_000);
    expect(error.message).toBe("OpenAI answered HTTP 429: Rate limit reached");
  });

  test("retry-after-ms wins over Retry-After", async () => {
    fake.route("POST", PATH, {
      ...openAiError(429, null, "slow down"),
      headers: { "retry-after": "20", "retry-after-ms": "1500" },
    });
    expect((await expectTransient(images.generate(request, ctx()))).retryAfterMs).toBe(1500);
  });

  test.each([500, 503])("%i is transient", async (status) => {
    fake.route("POST", PATH, openAiError(status, null, "The server had an error"));
    await expectTransient(images.generate(request, ctx()));
  });

  test("a truncated body is a transient malformed response", async () => {
    fake.route("POST", PATH, truncatedJson());
    const error = await expectTransient(images.generate(request, ctx()));
    expect(error.message).toBe("OpenAI sent a malformed response: the body is not JSON");
  });

  test("a body without data[0].b64_json is a transient malformed response", async () => {
    fake.route("POST", PATH, json(200, { created: 1, data: [{ url: "https://example.com/a.png" }] }));
    const error = await expectTransient(images.generate(request, ctx()));
    expect(error.message).toBe("OpenAI sent a malformed response: data[0].b64_json is missing");
  });

  test("base64 that is not an image is a transient malformed response", async () => {
    fake.route(
      "POST",
      PATH,
      json(200, { data: [{ b64_json: Buffer.from("not an image").toString("base64") }] }),
    );
    const error = await expectTransient(images.generate(request, ctx()));
    expect(error.message).toBe("OpenAI sent a malformed response: the image does not decode");
  });

  test.each(["moderation_blocked", "content_policy_violation"])(
    "error code %s is a content-policy refusal",
    async (code) => {
      fake.route(
        "POST",
        PATH,
        openAiError(400, code, "Your request was rejected as a result of our safety system."),
      );
      const error = await expectPermanent(images.generate(request, ctx()), "content_policy");
      expect(error.message).toBe(
        "OpenAI refused the prompt on content policy: Your request was rejected as a result of our safety system.",
      );
    },
  );

  test("a used-up quota is a 429 that is not retried (OpenAI: retrying does not help)", async () => {
    fake.route("POST", PATH, openAiError(429, "insufficient_quota", "You exceeded your current quota"));
    const error = await expectAccountProblem(images.generate(request, ctx()), "credit_exhausted");
    expect(error.message).toBe("OpenAI answered HTTP 429: You exceeded your current quota");
  });

  test("x-should-retry decides over the status, either way", async () => {
    fake.route("POST", PATH, openAiError(500, "server_error", "no", { "x-should-retry": "false" }));
    await expectPermanent(images.generate(request, ctx()), "provider_error");
    fake.route(
      "POST",
      PATH,
      openAiError(400, "invalid_request_error", "try again", { "x-should-retry": "true" }),
    );
    await expectTransient(images.generate(request, ctx()));
  });

  test("a base URL given the SDKs' way, ending in /v1, is not doubled", async () => {
    images = createOpenAiImages({ apiKey: KEY, baseUrl: `${fake.url}/v1/`, timeoutMs: HAPPY_TIMEOUT_MS });
    const png = await solidPng(1536, 1024);
    fake.route("POST", PATH, json(200, { created: 1, data: [{ b64_json: png.toString("base64") }] }));
    await images.generate(request, ctx());
    expect(fake.requests[0]!.url.pathname).toBe("/v1/images/generations");
  });

  test("a refused key or a model this key cannot use refuse our account, without the key in the message", async () => {
    fake.route("POST", PATH, openAiError(401, "invalid_api_key", `Incorrect API key provided: ${KEY}.`));
    const error = await expectAccountProblem(images.generate(request, ctx()), "key_refused");
    expect(error.message).toContain("OpenAI answered HTTP 401");
    expect(error.message).not.toContain(KEY);
    fake.route("POST", PATH, openAiError(404, "model_not_found", "The model `gpt-image-9` does not exist."));
    await expectAccountProblem(images.generate(request, ctx()), "model_not_found");
  });

  test("a 400 is a permanent failure of the job alone", async () => {
    fake.route("POST", PATH, openAiError(400, "invalid_value", "Invalid size"));
    const error = await expectPermanent(images.generate(request, ctx()), "provider_error");
    expect(error).not.toBeInstanceOf(ProviderAccountError);
  });

  test("an answer that never comes is a transient timeout", async () => {
    images = createOpenAiImages({ apiKey: KEY, baseUrl: fake.url, timeoutMs: SHORT_TIMEOUT_MS });
    fake.route("POST", PATH, neverAnswer);
    const error = await expectTransient(images.generate(request, ctx()));
    expect(error.message).toBe("OpenAI did not answer within 200 ms");
  });

  abortTests(() => ({ fake, path: PATH, call: (signal) => images.generate(request, { signal }) }));
});
