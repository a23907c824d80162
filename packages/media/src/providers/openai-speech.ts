import type { GenerateContext, GeneratedFile } from "../generator";
import { type AudioFileFormat, audioFile } from "./audio-files";
import type { HostedProviderConfig } from "./config";
import { failureFromResponse, joinUrl, providerFetch } from "./http";
import { OPENAI, openAiFailureRules, openAiRoot } from "./openai-errors";

export type OpenAiSpeechConfig = HostedProviderConfig;

export interface OpenAiSpeechRequest {
  /** The model id sent as is, such as "gpt-4o-mini-tts". */
  model: string;
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

/** OpenAI's speech endpoint (POST /v1/audio/speech): JSON in, the audio file's bytes out. */
export function createOpenAiSpeech(config: OpenAiSpeechConfig): OpenAiSpeech {
  const baseUrl = openAiRoot(config.baseUrl);
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async speak(request, ctx) {
      const response = await providerFetch(
        joinUrl(baseUrl, "/v1/audio/speech"),
        {
          method: "POST",
          headers: { Authorization: `Bearer ${config.apiKey}`, "Content-Type": "application/json" },
          body: JSON.stringify({
            model: request.model,
            input: request.text,
            voice: request.voice,
            response_format: request.format,
            speed: request.speed,
          }),
        },
        { signal: ctx.signal, timeoutMs, provider: OPENAI },
      );
      if (!response.ok) throw failureFromResponse(response, openAiFailureRules(config.apiKey));
      return [audioFile(response.body, request.format, OPENAI)];
    },
  };
}
