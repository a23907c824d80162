import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ProviderAccountError } from "../../src/generator";
import {
  createStability,
  type StabilityImageRequest,
  stabilityAspectRatio,
} from "../../src/providers/stability";
import { bytes, type FakeServer, json, neverAnswer, startFakeServer } from "./fake-server";
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

const PATH = "/v2beta/stable-image/generate/core";
const KEY = "sk-test-stability";

// Stability's error body: { id, name, errors: [...] }.
function stabilityError(
  status: number,
  name: string,
  errors: string[],
  headers: Record<string, string> = {},
) {
  return json(status, { id: "a1b2c3", name, errors }, headers);
}

async function imageReply(format: "png" | "webp", finishReason = "SUCCESS") {
  const image = await sharp(await solidPng(1344, 768))
    .toFormat(format)
    .toBuffer();
  return bytes(image, `image/${format}`, { "finish-reason": finishReason, seed: "42" });
}

describe("Stability AI", () => {
  let fake: FakeServer;
  let stability: ReturnType<typeof createStability>;
  const request: StabilityImageRequest = {
    prompt: "a lighthouse at dusk",
    width: 1200,
    height: 630,
    seed: 42,
    format: "png",
  };

  beforeEach(async () => {
    fake = await startFakeServer({ provider: "stability" });
    stability = createStability({ apiKey: KEY, baseUrl: fake.url, timeoutMs: HAPPY_TIMEOUT_MS });
  });
  afterEach(async () => {
    await fake.close();
  });

  test("posts the documented multipart form and returns the image at the asked size", async () => {
    fake.route("POST", PATH, await imageReply("png"));

    const [file] = await stability.generate(request, ctx());

    const sent = fake.requests[0]!;
    expect(sent.method).toBe("POST");
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.headers.accept).toBe("image/*");
    expect(sent.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const form = await sent.formData();
    expect(Object.fromEntries(form.entries())).toEqual({
      prompt: "a lighthouse at dusk",
      output_format: "png",
      aspect_ratio: "16:9",
      seed: "42",
    });
    expect(file).toMatchObject({ mimeType: "image/png", extension: "png", width: 1200, height: 630 });
    const meta = await sharp(file!.data).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 1200, 630]);
  });

  test("seed 0, which Stability takes for 'random', is sent as the largest seed instead", async () => {
    fake.route("POST", PATH, await imageReply("png"));
    await stability.generate({ ...request, seed: 0 }, ctx());
    const form = await fake.requests[0]!.formData();
    expect(form.get("seed")).toBe("4294967294");
  });

  test("webp output is a webp", async () => {
    fake.route("POST", PATH, await imageReply("webp"));
    const [file] = await stability.generate({ ...request, format: "webp", width: 640, height: 960 }, ctx());
    expect(file).toMatchObject({ mimeType: "image/webp", extension: "webp", width: 640, height: 960 });
    expect((await fake.requests[0]!.formData()).get("aspect_ratio")).toBe("2:3");
    expect((await sharp(file!.data).metadata()).format).toBe("webp");
  });

  test.each([
    [1024, 1024, "1:1"],
    [2520, 1080, "21:9"],
    [1080, 1920, "9:16"],
    [1080, 1350, "4:5"],
    [1500, 1000, "3:2"],
  ])("%i×%i asks for aspect ratio %s", (width, height, ratio) => {
    expect(stabilityAspectRatio(width, height)).toBe(ratio);
  });

  test("429 is transient and keeps Retry-After", async () => {
    fake.route(
      "POST",
      PATH,
      stabilityError(429, "rate_limit_exceeded", ["Too many requests"], { "retry-after": "10" }),
    );
    const error = await expectTransient(stability.generate(request, ctx()));
    expect(error.retryAfterMs).toBe(10_000);
    expect(error.message).toBe("Stability AI answered HTTP 429: Too many requests");
  });

  test("500 is transient", async () => {
    fake.route("POST", PATH, stabilityError(500, "internal_error", ["An unexpected server error occurred"]));
    await expectTransient(stability.generate(request, ctx()));
  });

  test("a 200 that is not an image is a transient malformed response", async () => {
    fake.route("POST", PATH, bytes("<html>maintenance</html>", "text/html", { "finish-reason": "SUCCESS" }));
    const error = await expectTransient(stability.generate(request, ctx()));
    expect(error.message).toBe("Stability AI sent a malformed response: the image does not decode");
  });

  test("403 content_moderation is a content-policy refusal", async () => {
    fake.route(
      "POST",
      PATH,
      stabilityError(403, "content_moderation", [
        "Your request was flagged by our content moderation system, as a result your request was denied.",
      ]),
    );
    const error = await expectPermanent(stability.generate(request, ctx()), "content_policy");
    expect(error.message).toMatch(
      /^Stability AI refused the prompt on content policy: Your request was flagged/,
    );
  });

  test("finish-reason CONTENT_FILTERED on a 200 is a content-policy refusal", async () => {
    fake.route("POST", PATH, await imageReply("png", "CONTENT_FILTERED"));
    const error = await expectPermanent(stability.generate(request, ctx()), "content_policy");
    expect(error.message).toContain("Stability AI refused the prompt on content policy");
  });

  test("402, another 403 and 401 refuse our account; a 400 is the job's alone", async () => {
    fake.route("POST", PATH, stabilityError(402, "payment_required", ["You lack sufficient credits"]));
    await expectAccountProblem(stability.generate(request, ctx()), "credit_exhausted");
    fake.route("POST", PATH, stabilityError(403, "forbidden", ["Your key cannot use this model"]));
    await expectAccountProblem(stability.generate(request, ctx()), "access_denied");
    fake.route("POST", PATH, stabilityError(401, "unauthorized", ["Missing or invalid API key"]));
    await expectAccountProblem(stability.generate(request, ctx()), "key_refused");
    fake.route("POST", PATH, stabilityError(400, "bad_request", ["prompt: cannot be empty"]));
    const error = await expectPermanent(stability.generate(request, ctx()), "provider_error");
    expect(error).not.toBeInstanceOf(ProviderAccountError);
    expect(error.message).toBe("Stability AI answered HTTP 400: prompt: cannot be empty");
  });

  test("an answer that never comes is a transient timeout", async () => {
    stability = createStability({ apiKey: KEY, baseUrl: fake.url, timeoutMs: SHORT_TIMEOUT_MS });
    fake.route("POST", PATH, neverAnswer);
    const error = await expectTransient(stability.generate(request, ctx()));
    expect(error.message).toBe("Stability AI did not answer within 200 ms");
  });

  abortTests(() => ({ fake, path: PATH, call: (signal) => stability.generate(request, { signal }) }));
});
