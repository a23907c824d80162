import type { GenerateContext, GeneratedFile, ProviderAccountProblem } from "../generator";
import { audioFile, pcmToWav } from "./audio-files";
import type { HostedProviderConfig } from "./config";
import {
  accountProblemByStatus,
  type FailedAnswer,
  type FailureRules,
  failureFromResponse,
  isRecord,
  joinUrl,
  malformed,
  providerFetch,
} from "./http";

export type ElevenLabsConfig = HostedProviderConfig;

export interface ElevenLabsSpeechRequest {
  /** Such as "eleven_multilingual_v2". */
  modelId: string;
  text: string;
  voiceId: string;
  format: "mp3" | "wav";
  /** 0.7 to 1.2 (`voice_settings.speed`); 1, the voice's own pace, is not sent. */
  speed?: number;
  /** 0 to 4294967295: the same seed and text give nearly the same audio (best effort on their side). */
  seed?: number;
}

export interface ElevenLabs {
  speak(request: ElevenLabsSpeechRequest, ctx: GenerateContext): Promise<GeneratedFile[]>;
}

const PROVIDER = "ElevenLabs";
const BASE_URL = "https://api.elevenlabs.io";
const DEFAULT_TIMEOUT_MS = 120_000;
// ElevenLabs sends WAV only as raw PCM (16-bit mono); 24 kHz is available on every plan, 44.1 kHz is not.
const PCM_SAMPLE_RATE = 24_000;
const OUTPUT_FORMATS = { mp3: "mp3_44100_128", wav: `pcm_${PCM_SAMPLE_RATE}` } as const;

// Errors come as { detail: { status, code?, message } }; a refused text is a 403 whose status (the legacy
// field) or code is content_against_policy.
function isContentPolicy(answer: FailedAnswer): boolean {
  const detail = isRecord(answer.json) ? answer.json.detail : undefined;
  return (
    isRecord(detail) &&
    (detail.status === "content_against_policy" || detail.code === "content_against_policy")
  );
}

// A used-up quota is a 401 like a bad key, told apart by its status (or code) quota_exceeded.
function accountProblem(answer: FailedAnswer): ProviderAccountProblem | undefined {
  const detail = isRecord(answer.json) ? answer.json.detail : undefined;
  if (isRecord(detail) && (detail.status === "quota_exceeded" || detail.code === "quota_exceeded")) {
    return "credit_exhausted";
  }
  return accountProblemByStatus(answer);
}

// voice_settings overrides the voice's stored settings for this request: only a changed speed is sent, so the
// voice keeps its own stability and similarity.
function speechBody(request: ElevenLabsSpeechRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { text: request.text, model_id: request.modelId };
  if (request.speed !== undefined && request.speed !== 1) body.voice_settings = { speed: request.speed };
  if (request.seed !== undefined) body.seed = request.seed;
  return body;
}

/**
 * ElevenLabs text to speech (POST /v1/text-to-speech/{voice_id}). 401 (a bad key, quota_exceeded), 402 and a
 * voice gone (404) are account problems until someone pays or fixes the key; 429 (rate or concurrency limit) is
 * transient.
 */
export function createElevenLabs(config: ElevenLabsConfig): ElevenLabs {
  const baseUrl = config.baseUrl ?? BASE_URL;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const rules: FailureRules = {
    provider: PROVIDER,
    secrets: [config.apiKey],
    isContentPolicy,
    accountProblem,
  };
  return {
    async speak(request, ctx) {
      const query = new URLSearchParams({ output_format: OUTPUT_FORMATS[request.format] });
      const response = await providerFetch(
        joinUrl(baseUrl, `/v1/text-to-speech/${encodeURIComponent(request.voiceId)}?${query}`),
        {
          method: "POST",
          headers: {
            "xi-api-key": config.apiKey,
            "Content-Type": "application/json",
            Accept: request.format === "mp3" ? "audio/mpeg" : "*/*",
          },
          body: JSON.stringify(speechBody(request)),
        },
        { signal: ctx.signal, timeoutMs, provider: PROVIDER },
      );
      if (!response.ok) throw failureFromResponse(response, rules);
      if (request.format === "mp3") return [audioFile(response.body, "mp3", PROVIDER)];
      const pcm = response.body;
      // Raw PCM has no magic bytes to check: reject a text body, and one that is not whole 16-bit samples.
      if (/json|html|text/.test(response.headers.get("content-type") ?? "")) {
        throw malformed(PROVIDER, "expected PCM audio, got text");
      }
      if (pcm.length === 0 || pcm.length % 2 !== 0)
        throw malformed(PROVIDER, "the PCM audio is not 16-bit samples");
      const durationMs = Math.round((pcm.length / 2 / PCM_SAMPLE_RATE) * 1000);
      return [audioFile(pcmToWav(pcm, PCM_SAMPLE_RATE), "wav", PROVIDER, durationMs)];
    },
  };
}
