import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type Automatic1111ImageRequest, createAutomatic1111 } from "../../src/providers/automatic1111";
import { type FakeServer, json, startFakeServer, truncatedJson } from "./fake-server";
import { abortWhen, ctx, expectPermanent, expectTransient, rejectionOf, solidPng } from "./fixtures";

const PATH = "/sdapi/v1/txt2img";

describe("AUTOMATIC1111", () => {
  let fake: FakeServer;
  let a1111: ReturnType<typeof createAutomatic1111>;
  const request: Automatic1111ImageRequest = {
    prompt: "a lighthouse at dusk",
    width: 1201,
    height: 630,
    seed: 7,
  };

  beforeEach(async () => {
    fake = await startFakeServer();
    a1111 = createAutomatic1111({ baseUrl: `${fake.url}/`, timeoutMs: 200 });
  });
  afterEach(async () => {
    await fake.close();
  });

  test("posts the documented JSON and returns a PNG of exactly the asked size", async () => {
    const png = await solidPng(1200, 632);
    fake.route("POST", PATH, json(200, { images: [png.toString("base64")], parameters: {}, info: "{}" }));

    const [file] = await a1111.generate(request, ctx());

    const sent = fake.requests[0]!;
    expect(sent.method).toBe("POST");
    expect(sent.url.pathname).toBe(PATH);
    expect(sent.headers["content-type"]).toBe("application/json");
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.json()).toEqual({
      prompt: "a lighthouse at dusk",
      width: 1200,
      height: 632,
      seed: 7,
      steps: 20,
    });
    expect(file).toMatchObject({ mimeType: "image/png", extension: "png", width: 1201, height: 630 });
    const meta = await sharp(file!.data).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 1201, 630]);
  });

  test("takes images with a data URL prefix and the configured steps", async () => {
    a1111 = createAutomatic1111({ baseUrl: fake.url, steps: 35 });
    const png = await solidPng(512, 512);
    fake.route("POST", PATH, json(200, { images: [`data:image/png;base64,${png.toString("base64")}`] }));
    const [file] = await a1111.generate({ ...request, width: 512, height: 512 }, ctx());
    expect(file).toMatchObject({ width: 512, height: 512 });
    expect((fake.requests[0]!.json() as { steps: number }).steps).toBe(35);
  });

  test("429 is transient and keeps Retry-After (a queueing proxy in front)", async () => {
    fake.route("POST", PATH, json(429, { detail: "busy" }, { "retry-after": "4" }));
    const error = await expectTransient(a1111.generate(request, ctx()));
    expect(error.retryAfterMs).toBe(4000);
  });

  test("500 (the run failed) is transient with the web UI's message", async () => {
    fake.route(
      "POST",
      PATH,
      json(500, { error: "OutOfMemoryError", detail: "CUDA out of memory", body: "", errors: "" }),
    );
    const error = await expectTransient(a1111.generate(request, ctx()));
    expect(error.message).toBe("AUTOMATIC1111 answered HTTP 500: OutOfMemoryError: CUDA out of memory");
  });

  test("422 (a bad request) is a permanent provider error", async () => {
    fake.route(
      "POST",
      PATH,
      json(422, {
        detail: [{ loc: ["body", "width"], msg: "value is not a valid integer", type: "type_error" }],
      }),
    );
    const error = await expectPermanent(a1111.generate(request, ctx()), "provider_error");
    expect(error.message).toBe("AUTOMATIC1111 answered HTTP 422: value is not a valid integer");
  });

  test("a truncated body or a missing image is a transient malformed response", async () => {
    fake.route("POST", PATH, truncatedJson());
    expect((await expectTransient(a1111.generate(request, ctx()))).message).toContain("the body is not JSON");
    fake.route("POST", PATH, json(200, { images: [] }));
    expect((await expectTransient(a1111.generate(request, ctx()))).message).toContain("images[0] is missing");
  });

  test("an answer slower than timeoutMs is transient", async () => {
    fake.route("POST", PATH, { ...json(200, { images: [] }), delayMs: 3_000 });
    const error = await expectTransient(a1111.generate(request, ctx()));
    expect(error.message).toBe("AUTOMATIC1111 did not answer within 200 ms");
  });

  test("aborting the job stops the call with the abort reason", async () => {
    a1111 = createAutomatic1111({ baseUrl: fake.url, timeoutMs: 10_000 });
    fake.route("POST", PATH, { ...json(200, { images: [] }), delayMs: 5_000 });
    const { signal, reason } = abortWhen(fake.waitForRequest("POST", PATH));
    expect(await rejectionOf(a1111.generate(request, { signal }))).toBe(reason);
  });
});
