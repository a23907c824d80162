import { encodeAudio } from "../audio/encode-audio";
import type { GenerateContext, GeneratedFile } from "../generator";
import { type AudioFileFormat, audioFile } from "./audio-files";
import type { HostedProviderConfig } from "./config";
import { failureFromResponse, joinUrl, malformed, providerFetch } from "./http";
import { OPENAI, openAiFailureRules, openAiRoot } from "./openai-errors";
import { splitText } from "./text-parts";

export type OpenAiSpeechConfig = HostedProviderConfig;

export interface OpenAiSpeechRequest {
  /** The model id sent as is, such as "gpt-4o-mini-tts". */
  model: string;
  /** Any length: a text over the endpoint's 4,096 characters is spoken in parts and joined. */
  text: string;
  voice: string;
  /** 0.25 to 4; 1 is normal. */
  speed: number;
  format: AudioFileFormat;
}

export interface OpenAiSpeech {
  speak(request: OpenAiSpeechRequest, ctx: GenerateContext): Promise<GeneratedFile[]>;
}

const DEFAULT_TIMEOUT_MS = 120_000;
/** The most `input` the endpoint takes. */
export const OPENAI_SPEECH_MAX_CHARACTERS = 4096;
// Its `pcm` answer: raw 16-bit little-endian mono samples at 24 kHz.
const PCM_SAMPLE_RATE = 24_000;

/**
 * OpenAI's speech endpoint (POST /v1/audio/speech): JSON in, the audio file's bytes out. A longer text is cut at
 * sentence ends (else between words), each part asked for as PCM one after the other, and the samples encoded
 * once in the asked format.
 */
export function createOpenAiSpeech(config: OpenAiSpeechConfig): OpenAiSpeech {
  const baseUrl = openAiRoot(config.baseUrl);
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const speak = async (
    request: OpenAiSpeechRequest,
    input: string,
    format: AudioFileFormat | "pcm",
    signal: AbortSignal,
  ) => {
    const response = await providerFetch(
      joinUrl(baseUrl, "/v1/audio/speech"),
      {
        method: "POST",
        headers: { Authorization: `Bearer ${config.apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          model: request.model,
          input,
          voice: request.voice,
          response_format: format,
          speed: request.speed,
        }),
      },
      { signal, timeoutMs, provider: OPENAI },
    );
    if (!response.ok) throw failureFromResponse(response, openAiFailureRules(config.apiKey));
    return response;
  };
  return {
    async speak(request, ctx) {
      const parts = splitText(request.text, OPENAI_SPEECH_MAX_CHARACTERS);
      if (parts.length === 1) {
        const response = await speak(request, request.text, request.format, ctx.signal);
        return [audioFile(response.body, request.format, OPENAI)];
      }
      const pcm: Buffer[] = [];
      for (const [i, part] of parts.entries()) {
        const response = await speak(request, part, "pcm", ctx.signal);
        // Raw PCM has no magic bytes to check: reject a text body, and one that is not whole 16-bit samples.
        if (/json|html|text/.test(response.headers.get("content-type") ?? ""))
          throw malformed(OPENAI, "expected PCM audio, got text");
        if (response.body.length === 0 || response.body.length % 2 !== 0)
          throw malformed(OPENAI, "the PCM audio is not 16-bit samples");
        pcm.push(response.body);
        ctx.onProgress?.((i + 1) / (parts.length + 1));
      }
      // A copy: an Int16Array view needs an even offset, which a network buffer need not have.
      const samples = new Int16Array(new Uint8Array(Buffer.concat(pcm)).buffer);
      const data = await encodeAudio(samples, PCM_SAMPLE_RATE, request.format, ctx.signal);
      const durationMs = Math.round((samples.length / PCM_SAMPLE_RATE) * 1000);
      return [audioFile(data, request.format, OPENAI, durationMs)];
    },
  };
}
