import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ProviderAccountError } from "../../src/generator";
import { createFalQueue, type FalQueueRequest } from "../../src/providers/fal-queue";
import { bytes, type FakeServer, json, neverAnswer, type Responder, startFakeServer } from "./fake-server";
import {
  abortWhen,
  ctx,
  expectAborted,
  expectAccountProblem,
  expectPermanent,
  expectTransient,
  HAPPY_TIMEOUT_MS,
  MP4_BYTES,
  SHORT_TIMEOUT_MS,
  solidPng,
} from "./fixtures";

const KEY = "fal-test-key";
const ENDPOINT = "fal-ai/flux-2/turbo";
const SUBMIT = `/${ENDPOINT}`;
// Status and result live under the app id, without the endpoint's subpath.
const REQUEST = "/fal-ai/flux-2/requests/req-123";
const STATUS = `${REQUEST}/status`;
const CANCEL = `${REQUEST}/cancel`;

const request: FalQueueRequest = {
  endpoint: ENDPOINT,
  input: { prompt: "a lighthouse at dusk", image_size: "landscape_16_9", num_images: 1 },
  output: "image",
};

describe("fal queue", () => {
  let fake: FakeServer;
  let fal: ReturnType<typeof createFalQueue>;

  // The documented submit answer: the request id and the URLs to follow.
  const submittedAs =
    (id: string): Responder =>
    (_, server) => {
      const own = `${server.url}/fal-ai/flux-2/requests/${id}`;
      return json(200, {
        request_id: id,
        response_url: own,
        status_url: `${own}/status`,
        cancel_url: `${own}/cancel`,
        queue_position: 2,
      });
    };
  const submitted = submittedAs("req-123");
  const inQueue = (position: number) =>
    json(202, { status: "IN_QUEUE", request_id: "req-123", queue_position: position });
  const inProgress = json(202, { status: "IN_PROGRESS", request_id: "req-123", logs: [] });
  const completed = json(200, {
    status: "COMPLETED",
    request_id: "req-123",
    logs: [],
    metrics: { inference_time: 1.2 },
  });
  const imageResult: Responder = (_, server) =>
    json(200, {
      images: [{ url: `${server.url}/files/out.png`, width: 320, height: 180, content_type: "image/png" }],
      seed: 99,
      has_nsfw_concepts: [false],
      prompt: "a lighthouse at dusk",
    });

  beforeEach(async () => {
    fake = await startFakeServer({ provider: "fal" });
    fal = createFalQueue({ apiKey: KEY, baseUrl: fake.url, timeoutMs: HAPPY_TIMEOUT_MS, pollIntervalMs: 10 });
  });
  afterEach(async () => {
    await fake.close();
  });

  test("submits, polls IN_QUEUE → IN_PROGRESS → COMPLETED, reads the result and downloads the image", async () => {
    fake.route("POST", SUBMIT, submitted);
    fake.route("GET", STATUS, inQueue(1), inProgress, inProgress, completed);
    fake.route("GET", REQUEST, imageResult);
    fake.route("GET", "/files/out.png", bytes(await solidPng(320, 180), "image/png"));
    const progress: number[] = [];

    const files = await fal.run(
      request,
      ctx((f) => progress.push(f)),
    );

    const calls = fake.requests.map((r) => `${r.method} ${r.url.pathname}`);
    expect(calls).toEqual([
      `POST ${SUBMIT}`,
      `GET ${STATUS}`,
      `GET ${STATUS}`,
      `GET ${STATUS}`,
      `GET ${STATUS}`,
      `GET ${REQUEST}`,
      "GET /files/out.png",
    ]);
    const [submit] = fake.requests;
    expect(submit!.headers.authorization).toBe(`Key ${KEY}`);
    expect(submit!.headers["content-type"]).toBe("application/json");
    expect(submit!.json()).toEqual(request.input);
    for (const r of fake.requests.slice(1, 6)) expect(r.headers.authorization).toBe(`Key ${KEY}`);
    expect(fake.requests[6]!.headers.authorization).toBeUndefined();

    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ mimeType: "image/png", extension: "png", width: 320, height: 180 });
    expect((await sharp(files[0]!.data).metadata()).format).toBe("png");
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(new Set(progress).size).toBe(progress.length);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toBeLessThan(1);
  });

  test("downloads every image and a video output", async () => {
    fake.route("POST", SUBMIT, submitted);
    fake.route("GET", STATUS, completed);
    fake.route("GET", REQUEST, (_, server) =>
      json(200, {
        images: [
          { url: `${server.url}/files/a.webp`, content_type: "image/webp" },
          { url: `${server.url}/files/b.jpg`, content_type: "image/jpeg" },
        ],
      }),
    );
    fake.route(
      "GET",
      "/files/a.webp",
      bytes(
        await sharp(await solidPng(64, 32))
          .webp()
          .toBuffer(),
        "image/webp",
      ),
    );
    fake.route(
      "GET",
      "/files/b.jpg",
      bytes(
        await sharp(await solidPng(32, 64))
          .jpeg()
          .toBuffer(),
        "image/jpeg",
      ),
    );
    const files = await fal.run(request, ctx());
    expect(files.map((f) => [f.mimeType, f.extension, f.width, f.height])).toEqual([
      ["image/webp", "webp", 64, 32],
      ["image/jpeg", "jpeg", 32, 64],
    ]);

    fake.route("GET", REQUEST, (_, server) =>
      json(200, {
        video: { url: `${server.url}/files/clip.mp4`, content_type: "video/mp4", file_size: 124 },
      }),
    );
    fake.route("GET", "/files/clip.mp4", bytes(MP4_BYTES, "video/mp4"));
    const [video] = await fal.run({ ...request, output: "video" }, ctx());
    expect(video).toEqual({ data: MP4_BYTES, mimeType: "video/mp4", extension: "mp4" });
  });

  test("does not send the key to queue URLs on another origin", async () => {
    fake.route("POST", SUBMIT, () =>
      json(200, {
        request_id: "req-123",
        status_url: `https://attacker.example${STATUS}`,
        response_url: `https://attacker.example${REQUEST}`,
        cancel_url: `https://attacker.example${CANCEL}`,
      }),
    );
    fake.route("GET", STATUS, completed);
    fake.route("GET", REQUEST, imageResult);
    fake.route("GET", "/files/out.png", bytes(await solidPng(320, 180), "image/png"));
    const files = await fal.run(request, ctx());
    expect(files).toHaveLength(1);
    expect(fake.requests.map((r) => r.url.pathname)).toContain(STATUS);
  });

  test("429 on submit is transient and keeps Retry-After", async () => {
    fake.route("POST", SUBMIT, json(429, { detail: "Too many requests" }, { "retry-after": "6" }));
    const error = await expectTransient(fal.run(request, ctx()));
    expect(error.retryAfterMs).toBe(6000);
    expect(error.message).toBe("fal answered HTTP 429: Too many requests");
  });

  test("a 5xx while polling is transient, with fal's request error shape", async () => {
    fake.route("POST", SUBMIT, submitted);
    fake.route(
      "GET",
      STATUS,
      inQueue(3),
      json(
        503,
        { detail: "Runner disconnected", error_type: "runner_disconnected" },
        {
          "x-fal-error-type": "runner_disconnected",
        },
      ),
    );
    fake.route("PUT", CANCEL, json(202, { status: "CANCELLATION_REQUESTED" }));
    const error = await expectTransient(fal.run(request, ctx()));
    expect(error.message).toBe("fal answered HTTP 503: Runner disconnected");
    // The job will be retried as a new request: this one is canceled (before the run ends) rather than left running.
    expect(fake.requests.map((r) => `${r.method} ${r.url.pathname}`)).toContain(`PUT ${CANCEL}`);
  });

  test.each([
    ["x-fal-needs-retry", "0", "1"],
    ["x-fal-retryable", "false", "true"],
  ])("%s outranks the status code, either way", async (header, no, yes) => {
    fake.route("POST", SUBMIT, json(503, { detail: "Unsupported input" }, { [header]: no }));
    await expectPermanent(fal.run(request, ctx()), "provider_error");
    fake.route("POST", SUBMIT, json(400, { detail: "Runner busy" }, { [header]: yes }));
    await expectTransient(fal.run(request, ctx()));
  });

  test("422 content_policy_violation is a content-policy refusal, on submit or on the result", async () => {
    const refusal = json(422, {
      detail: [
        {
          loc: ["body", "prompt"],
          msg: "The content was flagged by a content checker.",
          type: "content_policy_violation",
          url: "https://docs.fal.ai/errors#content_policy_violation",
          input: "the prompt",
        },
      ],
    });
    fake.route("POST", SUBMIT, refusal);
    const early = await expectPermanent(fal.run(request, ctx()), "content_policy");
    expect(early.message).toBe(
      "fal refused the prompt on content policy: The content was flagged by a content checker.",
    );

    fake.route("POST", SUBMIT, submitted);
    fake.route("GET", STATUS, completed);
    fake.route("GET", REQUEST, refusal);
    await expectPermanent(fal.run(request, ctx()), "content_policy");
  });

  test("an output the safety checker flagged is a content-policy refusal", async () => {
    fake.route("POST", SUBMIT, submitted);
    fake.route("GET", STATUS, completed);
    fake.route("GET", REQUEST, (_, server) =>
      json(200, { images: [{ url: `${server.url}/files/out.png` }], has_nsfw_concepts: [true] }),
    );
    const error = await expectPermanent(fal.run(request, ctx()), "content_policy");
    expect(error.message).toContain("fal refused the prompt on content policy");
    expect(fake.requests.map((r) => r.url.pathname)).not.toContain("/files/out.png");
  });

  test.each([
    [401, "Invalid Key Authorization header format.", "key_refused"],
    [
      403,
      "User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.",
      "credit_exhausted",
    ],
    [403, "Forbidden", "access_denied"],
    [404, "Application 'seedance/v1/lite' not found", "model_not_found"],
  ] as const)("%i on submission refuses our account (%s)", async (status, detail, problem) => {
    fake.route("POST", SUBMIT, json(status, { detail }));
    const error = await expectAccountProblem(fal.run(request, ctx()), problem);
    expect(error.message).toBe(`fal answered HTTP ${status}: ${detail}`);
  });

  test("a 404 for the request's result is the job's own failure, not the account's", async () => {
    fake.route("POST", SUBMIT, submitted);
    fake.route("GET", STATUS, completed);
    fake.route("GET", REQUEST, json(404, { detail: "Request not found" }));
    const error = await expectPermanent(fal.run(request, ctx()), "provider_error");
    expect(error).not.toBeInstanceOf(ProviderAccountError);
  });

  test("a 400 is a permanent failure of the job alone", async () => {
    fake.route("POST", SUBMIT, json(400, { detail: "Invalid request" }));
    const error = await expectPermanent(fal.run(request, ctx()), "provider_error");
    expect(error).not.toBeInstanceOf(ProviderAccountError);
  });

  test.each([
    ["a submit answer without request_id", { ok: true }, "request_id is missing"],
    ["an unknown status", { status: "EXPLODED" }, 'unknown queue status "EXPLODED"'],
    ["a result without images", { seed: 1 }, "images[].url is missing"],
  ])("%s is a transient malformed response", async (_, body, why) => {
    fake.route("POST", SUBMIT, why === "request_id is missing" ? json(200, body) : submitted);
    fake.route("GET", STATUS, why.startsWith("unknown") ? json(200, body) : completed);
    fake.route("GET", REQUEST, json(200, body));
    const error = await expectTransient(fal.run(request, ctx()));
    expect(error.message).toBe(`fal sent a malformed response: ${why}`);
  });

  test("a download that is not an image is a transient malformed response", async () => {
    fake.route("POST", SUBMIT, submitted);
    fake.route("GET", STATUS, completed);
    fake.route("GET", REQUEST, imageResult);
    fake.route("GET", "/files/out.png", bytes("<html>expired</html>", "text/html"));
    const error = await expectTransient(fal.run(request, ctx()));
    expect(error.message).toBe("fal sent a malformed response: the image does not decode");
  });

  test("a status answer that never comes is a transient timeout, and the request is canceled", async () => {
    fal = createFalQueue({ apiKey: KEY, baseUrl: fake.url, timeoutMs: SHORT_TIMEOUT_MS, pollIntervalMs: 10 });
    fake.route("POST", SUBMIT, submitted);
    fake.route("GET", STATUS, inQueue(1), neverAnswer);
    fake.route("PUT", CANCEL, json(202, { status: "CANCELLATION_REQUESTED" }));
    const error = await expectTransient(fal.run(request, ctx()));
    expect(error.message).toBe("fal did not answer within 200 ms");
    expect(fake.requests.map((r) => `${r.method} ${r.url.pathname}`)).toContain(`PUT ${CANCEL}`);
  });

  test("aborting while queued cancels on fal before rejecting, and the polling stops", async () => {
    fake.route("POST", SUBMIT, submitted, submittedAs("req-456"));
    fake.route("GET", STATUS, inQueue(5));
    fake.route("PUT", CANCEL, json(202, { status: "CANCELLATION_REQUESTED" }));
    const { signal, reason } = abortWhen(fake.waitForRequest("GET", STATUS));

    await expectAborted(fal.run(request, { signal }), reason);

    // The cancel went out before the run settled, with the key.
    const cancel = fake.requests.find((r) => r.method === "PUT");
    expect(cancel?.url.pathname).toBe(CANCEL);
    expect(cancel?.headers.authorization).toBe(`Key ${KEY}`);
    const polls = fake.requests.filter((r) => r.url.pathname === STATUS).length;
    // A whole other request runs from submit to download meanwhile: the aborted one is never polled again.
    fake.route("GET", "/fal-ai/flux-2/requests/req-456/status", completed);
    fake.route("GET", "/fal-ai/flux-2/requests/req-456", imageResult);
    fake.route("GET", "/files/out.png", bytes(await solidPng(320, 180), "image/png"));
    expect(await fal.run(request, ctx())).toHaveLength(1);
    expect(fake.requests.filter((r) => r.url.pathname === STATUS)).toHaveLength(polls);
  });

  test("aborting while the result downloads closes the download; nothing is left to cancel", async () => {
    fake.route("POST", SUBMIT, submitted);
    fake.route("GET", STATUS, completed);
    fake.route("GET", REQUEST, imageResult);
    fake.route("GET", "/files/out.png", neverAnswer);
    const { signal, reason } = abortWhen(fake.waitForRequest("GET", "/files/out.png"));
    await expectAborted(fal.run(request, { signal }), reason);
    expect(await fake.requests.at(-1)!.outcome).toBe("hung-up");
    expect(fake.requests.map((r) => r.method)).not.toContain("PUT");
  });

  test("a cancel fal never answers does not hold the aborted run", async () => {
    fake.route("POST", SUBMIT, submitted);
    fake.route("GET", STATUS, inQueue(5));
    fake.route("PUT", CANCEL, neverAnswer);
    const { signal, reason } = abortWhen(fake.waitForRequest("GET", STATUS));
    await expectAborted(fal.run(request, { signal }), reason);
    const cancel = fake.requests.find((r) => r.method === "PUT")!;
    expect(await cancel.outcome).toBe("hung-up");
  });

  test("an already aborted run submits nothing", async () => {
    const controller = new AbortController();
    controller.abort(new Error("canceled"));
    await expectAborted(fal.run(request, { signal: controller.signal }), controller.signal.reason);
    expect(fake.requests).toHaveLength(0);
  });

  test("waiting past maxWaitMs is transient and cancels the request", async () => {
    fal = createFalQueue({
      apiKey: KEY,
      baseUrl: fake.url,
      timeoutMs: HAPPY_TIMEOUT_MS,
      pollIntervalMs: 20,
      maxWaitMs: 100,
    });
    fake.route("POST", SUBMIT, submitted);
    fake.route("GET", STATUS, inProgress);
    fake.route("PUT", CANCEL, json(202, { status: "CANCELLATION_REQUESTED" }));
    const error = await expectTransient(fal.run(request, ctx()));
    expect(error.message).toBe("fal did not finish the request within 100 ms");
    expect(fake.requests.some((r) => r.method === "PUT" && r.url.pathname === CANCEL)).toBe(true);
  });
});
