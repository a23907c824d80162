import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { runFfmpeg, writeChunk } from "../../src/ffmpeg";
import { createOpenAiSpeech, type OpenAiSpeechRequest } from "../../src/providers/openai-speech";
import { bytes, type FakeServer, json, neverAnswer, startFakeServer } from "./fake-server";
import {
  AAC_BYTES,
  abortTests,
  ctx,
  expectAborted,
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

// 6,000 characters of sentences: more than the 4,096 one request takes.
const LONG_TEXT = Array.from({ length: 400 }, (_, i) => `This is sentence ${i + 1}.`)
  .join(" ")
  .slice(0, 6000);

/** OpenAI's `pcm` answer: 24 kHz 16-bit mono, a tone of the given length. */
function pcm(seconds: number): Buffer {
  const data = Buffer.alloc(Math.round(seconds * 24_000) * 2);
  for (let i = 0; i < data.length; i += 2) data.writeInt16LE(Math.round(Math.sin(i / 20) * 8000), i);
  return data;
}

/** How long an audio file plays, decoded by ffmpeg. */
async function playedMs(file: Buffer): Promise<number> {
  const samples = await runFfmpeg(["-i", "pipe:0", "-f", "s16le", "-ac", "1", "-ar", "24000", "pipe:1"], {
    feed: (stdin) => writeChunk(stdin, file),
  });
  return (samples.length / 2 / 24_000) * 1000;
}

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
    fake = await startFakeServer({ provider: "openai" });
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

  describe("a text over 4,096 characters", () => {
    test("is asked for in parts of at most 4,096, in order, and joined into one file", async () => {
      fake.route("POST", PATH, bytes(pcm(1), "audio/pcm"), bytes(pcm(0.5), "audio/pcm"));
      const progress: number[] = [];

      const [file] = await speech.speak(
        { ...request, text: LONG_TEXT },
        ctx((f) => progress.push(f)),
      );

      const sent = fake.requests.map((r) => r.json() as Record<string, unknown>);
      expect(sent).toHaveLength(2);
      for (const body of sent) {
        expect(body).toMatchObject({
          model: "gpt-4o-mini-tts",
          voice: "coral",
          speed: 1.25,
          response_format: "pcm",
        });
        expect((body.input as string).length).toBeLessThanOrEqual(4096);
      }
      // The first part ends at a sentence end.
      expect(sent[0]!.input).toMatch(/^This is sentence 1\. .* sentence \d+\.$/);
      expect(sent.map((b) => b.input).join(" ")).toBe(LONG_TEXT);
      expect(file).toMatchObject({ mimeType: "audio/mpeg", extension: "mp3", durationMs: 1500 });
      expect(Math.abs((await playedMs(file!.data)) - 1500)).toBeLessThan(100);
      expect(progress).toEqual([1 / 3, 2 / 3]);
    });

    test("wav is the parts' samples one after the other", async () => {
      const first = pcm(0.25);
      const second = pcm(0.5);
      fake.route("POST", PATH, bytes(first, "audio/pcm"), bytes(second, "audio/pcm"));

      const [file] = await speech.speak({ ...request, text: LONG_TEXT, format: "wav" }, ctx());

      expect(file).toMatchObject({ mimeType: "audio/wav", extension: "wav", durationMs: 750 });
      expect(file!.data.readUInt32LE(24)).toBe(24_000);
      expect(file!.data.subarray(44).equals(Buffer.concat([first, second]))).toBe(true);
    });

    test("a failed part fails the job as its answer means, and no later part is asked", async () => {
      fake.route(
        "POST",
        PATH,
        bytes(pcm(0.1), "audio/pcm"),
        json(400, { error: { message: "Invalid voice", param: "voice", code: null } }),
      );
      const error = await expectPermanent(
        speech.speak({ ...request, text: `${LONG_TEXT} ${LONG_TEXT.slice(0, 3000)}` }, ctx()),
        "provider_error",
      );
      expect(error.message).toBe("OpenAI answered HTTP 400: Invalid voice");
      expect(fake.requests).toHaveLength(2);
    });

    test("a part that is not PCM is a transient malformed response", async () => {
      fake.route("POST", PATH, json(200, { hello: "world" }));
      const error = await expectTransient(speech.speak({ ...request, text: LONG_TEXT }, ctx()));
      expect(error.message).toBe("OpenAI sent a malformed response: expected PCM audio, got text");
    });

    test("an abort during a part stops there: no later part is asked", async () => {
      const controller = new AbortController();
      const reason = new Error("job canceled");
      fake.route("POST", PATH, () => {
        controller.abort(reason);
        return bytes(pcm(0.1), "audio/pcm");
      });
      await expectAborted(
        speech.speak({ ...request, text: LONG_TEXT }, { signal: controller.signal }),
        reason,
      );
      expect(fake.requests).toHaveLength(1);
    });
  });
});
