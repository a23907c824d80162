import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createOpenAiSpeech, type OpenAiSpeechRequest } from "../../src/providers/openai-speech";
import { bytes, type FakeServer, json, neverAnswer, startFakeServer } from "./fake-server";
import {
  AAC_BYTES,
  abortTests,
  ctx,
  expectPermanent,
  expectTransient,
  HAPPY_TIMEOUT_MS,
  MP3_BYTES,
  OGG_BYTES,
  SHORT_TIMEOUT_MS,
  WAV_BYTES,
} from "./fixtures";

const PATH = "/v1/audio/speech";
const KEY = "sk-test-speech";

describe("OpenAI speech", () => {
  let fake: FakeServer;
  let speech: ReturnType<typeof createOpenAiSpeech>;
  const request: OpenAiSpeechRequest = {
    model: "gpt-4o-mini-tts",
    text: "Hello there.",
    voice: "coral",
    speed: 1.25,
    format: "mp3",
  };

  beforeEach(async () => {
    fake = await startFakeServer();
    speech = createOpenAiSpeech({ apiKey: KEY, baseUrl: fake.url, timeoutMs: HAPPY_TIMEOUT_MS });
  });
  afterEach(async () => {
    await fake.close();
  });

  test("posts the documented JSON and returns the audio bytes", async () => {
    fake.route("POST", PATH, bytes(MP3_BYTES, "audio/mpeg"));

    const files = await speech.speak(request, ctx());

    const sent = fake.requests[0]!;
    expect(sent.method).toBe("POST");
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.json()).toEqual({
      model: "gpt-4o-mini-tts",
      input: "Hello there.",
      voice: "coral",
      response_format: "mp3",
      speed: 1.25,
    });
    expect(files).toEqual([{ data: MP3_BYTES, mimeType: "audio/mpeg", extension: "mp3" }]);
  });

  test.each([
    ["opus", OGG_BYTES, "audio/ogg"],
    ["aac", AAC_BYTES, "audio/aac"],
    ["wav", WAV_BYTES, "audio/wav"],
  ] as const)("%s comes back typed %s", async (format, data, mimeType) => {
    fake.route("POST", PATH, bytes(data, "application/octet-stream"));
    const [file] = await speech.speak({ ...request, format }, ctx());
    expect(file).toEqual({ data, mimeType, extension: format });
    expect((fake.requests[0]!.json() as { response_format: string }).response_format).toBe(format);
  });

  test("429 is transient and keeps Retry-After", async () => {
    fake.route(
      "POST",
      PATH,
      json(
        429,
        { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
        {
          "retry-after": "2",
        },
      ),
    );
    expect((await expectTransient(speech.speak(request, ctx()))).retryAfterMs).toBe(2000);
  });

  test("503 is transient", async () => {
    fake.route("POST", PATH, json(503, { error: { message: "Service unavailable", type: "server_error" } }));
    await expectTransient(speech.speak(request, ctx()));
  });

  test("a 200 whose bytes are not the asked format is a transient malformed response", async () => {
    fake.route("POST", PATH, json(200, { hello: "world" }));
    const error = await expectTransient(speech.speak(request, ctx()));
    expect(error.message).toBe("OpenAI sent a malformed response: the audio is not mp3");
  });

  test("a content-policy refusal is permanent", async () => {
    fake.route(
      "POST",
      PATH,
      json(400, {
        error: {
          message: "This request has been blocked by our content filters.",
          code: "content_policy_violation",
        },
      }),
    );
    const error = await expectPermanent(speech.speak(request, ctx()), "content_policy");
    expect(error.message).toContain("OpenAI refused the prompt on content policy");
  });

  test("an unknown voice (400) is a permanent provider error", async () => {
    fake.route("POST", PATH, json(400, { error: { message: "Invalid voice", param: "voice", code: null } }));
    const error = await expectPermanent(speech.speak(request, ctx()), "provider_error");
    expect(error.message).toBe("OpenAI answered HTTP 400: Invalid voice");
  });

  test("an answer that never comes is a transient timeout", async () => {
    speech = createOpenAiSpeech({ apiKey: KEY, baseUrl: fake.url, timeoutMs: SHORT_TIMEOUT_MS });
    fake.route("POST", PATH, neverAnswer);
    await expectTransient(speech.speak(request, ctx()));
  });

  abortTests(() => ({ fake, path: PATH, call: (signal) => speech.speak(request, { signal }) }));
});
