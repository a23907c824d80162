import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type Automatic1111ImageRequest, createAutomatic1111 } from "../../src/providers/automatic1111";
import { type FakeServer, json, neverAnswer, startFakeServer, truncatedJson } from "./fake-server";
import {
  abortWhen,
  ctx,
  expectAborted,
  expectAccountProblem,
  expectPermanent,
  expectTransient,
  HAPPY_TIMEOUT_MS,
  SHORT_TIMEOUT_MS,
  solidPng,
} from "./fixtures";

const PATH = "/sdapi/v1/txt2img";
const INTERRUPT = "/sdapi/v1/interrupt";

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
    fake = await startFakeServer({ provider: "automatic1111" });
    a1111 = createAutomatic1111({ baseUrl: `${fake.url}/`, timeoutMs: HAPPY_TIMEOUT_MS });
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

  test("a web UI started with --api-auth gets HTTP Basic credentials, never echoed in errors", async () => {
    a1111 = createAutomatic1111({
      baseUrl: fake.url,
      timeoutMs: HAPPY_TIMEOUT_MS,
      auth: { username: "mme", password: "s3cret-pass" },
    });
    const basic = `Basic ${Buffer.from("mme:s3cret-pass").toString("base64")}`;
    fake.route("POST", PATH, json(200, { images: [(await solidPng(1200, 632)).toString("base64")] }));
    await a1111.generate(request, ctx());
    expect(fake.requests[0]!.headers.authorization).toBe(basic);
    fake.route("POST", PATH, json(422, { detail: `bad auth mme:s3cret-pass ${basic}` }));
    const error = await expectPermanent(a1111.generate(request, ctx()), "provider_error");
    expect(error.message).not.toContain("s3cret-pass");
    expect(error.message).not.toContain(basic.slice(6));
  });

  test("wrong --api-auth credentials (401) or a web UI without --api (404) refuse our account", async () => {
    fake.route("POST", PATH, json(401, { detail: "Incorrect credentials" }));
    await expectAccountProblem(a1111.generate(request, ctx()), "key_refused");
    fake.route("POST", PATH, json(404, { detail: "Not Found" }));
    await expectAccountProblem(a1111.generate(request, ctx()), "model_not_found");
  });

  test("takes images with a data URL prefix and the configured steps", async () => {
    a1111 = createAutomatic1111({ baseUrl: fake.url, steps: 35, timeoutMs: HAPPY_TIMEOUT_MS });
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

  // What modules/api/api.py's exception handler sends: the text is in `errors`, as a string; `detail` is empty.
  test("500 as the web UI's exception handler sends it keeps its text", async () => {
    fake.route(
      "POST",
      PATH,
      json(500, {
        error: "OutOfMemoryError",
        detail: "",
        body: "",
        errors: "CUDA out of memory. Tried to allocate 2.00 GiB",
      }),
    );
    const error = await expectTransient(a1111.generate(request, ctx()));
    expect(error.message).toBe(
      "AUTOMATIC1111 answered HTTP 500: OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB",
    );
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

  test("an answer that never comes is a transient timeout", async () => {
    a1111 = createAutomatic1111({ baseUrl: fake.url, timeoutMs: SHORT_TIMEOUT_MS });
    fake.route("POST", PATH, neverAnswer);
    fake.route("POST", INTERRUPT, json(200, {}));
    const error = await expectTransient(a1111.generate(request, ctx()));
    expect(error.message).toBe("AUTOMATIC1111 did not answer within 200 ms");
    // A timeout is not an abort: the job may be retried, and the web UI is left alone.
    expect(fake.requests.map((r) => r.url.pathname)).not.toContain(INTERRUPT);
  });

  test("aborting the job closes the request, interrupts the web UI, then rejects", async () => {
    fake.route("POST", PATH, neverAnswer);
    fake.route("POST", INTERRUPT, json(200, {}));
    const { signal, reason } = abortWhen(fake.waitForRequest("POST", PATH));
    await expectAborted(a1111.generate(request, { signal }), reason);
    expect(await fake.requests[0]!.outcome).toBe("hung-up");
    // Sent before the job settled, so nothing of it still runs.
    expect(fake.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      `POST ${PATH}`,
      `POST ${INTERRUPT}`,
    ]);
  });

  test("with another of our requests in flight, an abort does not interrupt (it may be that one drawing)", async () => {
    let secondArrived: () => void = () => undefined;
    const bothArrived = new Promise<void>((resolve) => (secondArrived = resolve));
    fake.route("POST", PATH, neverAnswer, () => {
      secondArrived();
      return neverAnswer;
    });
    fake.route("POST", INTERRUPT, json(200, {}));
    const other = new AbortController();
    const otherRun = a1111.generate(request, { signal: other.signal });
    await fake.waitForRequest("POST", PATH);
    const controller = new AbortController();
    const aborted = a1111.generate(request, { signal: controller.signal });
    await bothArrived;
    controller.abort(new Error("canceled"));
    await expectAborted(aborted, controller.signal.reason);
    expect(fake.requests.map((r) => r.url.pathname)).not.toContain(INTERRUPT);
    // The last one aborted is alone, and is interrupted.
    other.abort(new Error("canceled too"));
    await expectAborted(otherRun, other.signal.reason);
    expect(fake.requests.filter((r) => r.url.pathname === INTERRUPT)).toHaveLength(1);
  });

  test("an already aborted job sends nothing, not even an interrupt", async () => {
    const controller = new AbortController();
    controller.abort(new Error("canceled"));
    await expectAborted(a1111.generate(request, { signal: controller.signal }), controller.signal.reason);
    expect(fake.requests).toHaveLength(0);
  });
});
