import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ProviderAccountError } from "../../src/generator";
import { createElevenLabs, type ElevenLabsSpeechRequest } from "../../src/providers/elevenlabs";
import { bytes, type FakeServer, json, neverAnswer, startFakeServer } from "./fake-server";
import {
  abortTests,
  ctx,
  expectAccountProblem,
  expectPermanent,
  expectTransient,
  HAPPY_TIMEOUT_MS,
  MP3_BYTES,
  SHORT_TIMEOUT_MS,
} from "./fixtures";

const VOICE = "JBFqnCBsd6RMkjVDRZzb";
const PATH = `/v1/text-to-speech/${VOICE}`;
const KEY = "xi-test-key";

// ElevenLabs' error body: { detail: { status, message } } (newer answers add type and code).
function elevenError(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return json(status, { detail: { status: code, message } }, headers);
}

describe("ElevenLabs", () => {
  let fake: FakeServer;
  let eleven: ReturnType<typeof createElevenLabs>;
  const request: ElevenLabsSpeechRequest = {
    modelId: "eleven_multilingual_v2",
    text: "Hello there.",
    voiceId: VOICE,
    format: "mp3",
  };

  beforeEach(async () => {
    fake = await startFakeServer({ provider: "elevenlabs" });
    eleven = createElevenLabs({ apiKey: KEY, baseUrl: fake.url, timeoutMs: HAPPY_TIMEOUT_MS });
  });
  afterEach(async () => {
    await fake.close();
  });

  test("posts the documented request for mp3 and returns the bytes", async () => {
    fake.route("POST", PATH, bytes(MP3_BYTES, "audio/mpeg"));

    const files = await eleven.speak(request, ctx());

    const sent = fake.requests[0]!;
    expect(sent.method).toBe("POST");
    expect(sent.url.searchParams.get("output_format")).toBe("mp3_44100_128");
    expect(sent.headers["xi-api-key"]).toBe(KEY);
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.json()).toEqual({ text: "Hello there.", model_id: "eleven_multilingual_v2" });
    expect(files).toEqual([{ data: MP3_BYTES, mimeType: "audio/mpeg", extension: "mp3" }]);
  });

  test("a changed speed goes in voice_settings and the seed beside the text", async () => {
    fake.route("POST", PATH, bytes(MP3_BYTES, "audio/mpeg"));

    await eleven.speak({ ...request, speed: 1.15, seed: 4_294_967_295 }, ctx());
    await eleven.speak({ ...request, speed: 1, seed: 0 }, ctx());

    expect(fake.requests.map((r) => r.json())).toEqual([
      {
        text: "Hello there.",
        model_id: "eleven_multilingual_v2",
        voice_settings: { speed: 1.15 },
        seed: 4_294_967_295,
      },
      // The voice's own pace: its stored settings are left alone.
      { text: "Hello there.", model_id: "eleven_multilingual_v2", seed: 0 },
    ]);
  });

  test("wav asks for 24 kHz PCM and wraps it in a WAV header", async () => {
    const pcm = Buffer.alloc(48_000); // 24 000 16-bit samples: one second
    for (let i = 0; i < pcm.length; i += 2) pcm.writeInt16LE(Math.round(Math.sin(i / 20) * 8000), i);
    fake.route("POST", PATH, bytes(pcm, "audio/pcm"));

    const [file] = await eleven.speak({ ...request, format: "wav" }, ctx());

    expect(fake.requests[0]!.url.searchParams.get("output_format")).toBe("pcm_24000");
    expect(file).toMatchObject({ mimeType: "audio/wav", extension: "wav", durationMs: 1000 });
    const wav = file!.data;
    expect(wav.subarray(0, 4).toString("latin1")).toBe("RIFF");
    expect(wav.subarray(8, 12).toString("latin1")).toBe("WAVE");
    expect(wav.readUInt16LE(22)).toBe(1); // mono
    expect(wav.readUInt32LE(24)).toBe(24_000);
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(wav.readUInt32LE(40)).toBe(pcm.length);
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.subarray(44).equals(pcm)).toBe(true);
  });

  test("429 is transient and keeps Retry-After", async () => {
    fake.route(
      "POST",
      PATH,
      elevenError(429, "too_many_concurrent_requests", "Too many concurrent requests", {
        "retry-after": "5",
      }),
    );
    const error = await expectTransient(eleven.speak(request, ctx()));
    expect(error.retryAfterMs).toBe(5000);
    expect(error.message).toBe("ElevenLabs answered HTTP 429: Too many concurrent requests");
  });

  test("500 is transient", async () => {
    fake.route("POST", PATH, json(500, { detail: "Internal Server Error" }));
    await expectTransient(eleven.speak(request, ctx()));
  });

  test.each([
    [401, "quota_exceeded", "You have insufficient quota to complete this request", "credit_exhausted"],
    [401, "invalid_api_key", "Invalid API key", "key_refused"],
    [402, "payment_required", "Payment required", "credit_exhausted"],
    [404, "voice_not_found", "A voice with the voice_id was not found", "model_not_found"],
  ] as const)(
    "%i %s refuses our account (%s): no retry here, the job goes to its fallbacks",
    async (status, code, message, problem) => {
      fake.route("POST", PATH, elevenError(status, code, message));
      const error = await expectAccountProblem(eleven.speak(request, ctx()), problem);
      expect(error.message).toBe(`ElevenLabs answered HTTP ${status}: ${message}`);
    },
  );

  test("400 is a permanent provider error of the job alone", async () => {
    fake.route("POST", PATH, elevenError(400, "invalid_text", "Text is invalid"));
    const error = await expectPermanent(eleven.speak(request, ctx()), "provider_error");
    expect(error).not.toBeInstanceOf(ProviderAccountError);
  });

  test("403 content_against_policy is a content-policy refusal", async () => {
    fake.route(
      "POST",
      PATH,
      elevenError(
        403,
        "content_against_policy",
        "We are sorry but text you are trying to use may violate our Terms of Service and has been blocked.",
      ),
    );
    const error = await expectPermanent(eleven.speak(request, ctx()), "content_policy");
    expect(error.message).toMatch(/^ElevenLabs refused the prompt on content policy: We are sorry/);
  });

  test("malformed audio is a transient malformed response", async () => {
    fake.route("POST", PATH, bytes("<html>oops</html>", "text/html"));
    expect((await expectTransient(eleven.speak(request, ctx()))).message).toBe(
      "ElevenLabs sent a malformed response: the audio is not mp3",
    );
    fake.route("POST", PATH, bytes(Buffer.alloc(3), "audio/pcm"));
    expect((await expectTransient(eleven.speak({ ...request, format: "wav" }, ctx()))).message).toBe(
      "ElevenLabs sent a malformed response: the PCM audio is not 16-bit samples",
    );
    fake.route("POST", PATH, json(200, { detail: "ok" }));
    expect((await expectTransient(eleven.speak({ ...request, format: "wav" }, ctx()))).message).toBe(
      "ElevenLabs sent a malformed response: expected PCM audio, got text",
    );
  });

  test("an answer that never comes is a transient timeout", async () => {
    eleven = createElevenLabs({ apiKey: KEY, baseUrl: fake.url, timeoutMs: SHORT_TIMEOUT_MS });
    fake.route("POST", PATH, neverAnswer);
    const error = await expectTransient(eleven.speak(request, ctx()));
    expect(error.message).toBe("ElevenLabs did not answer within 200 ms");
  });

  abortTests(() => ({ fake, path: PATH, call: (signal) => eleven.speak(request, { signal }) }));
});
