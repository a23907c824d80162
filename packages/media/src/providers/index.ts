export {
  type Automatic1111,
  type Automatic1111Config,
  type Automatic1111ImageRequest,
  type Automatic1111ImageToImageRequest,
  createAutomatic1111,
} from "./automatic1111";
export type { HostedProviderConfig } from "./config";
export {
  createElevenLabs,
  type ElevenLabs,
  type ElevenLabsConfig,
  type ElevenLabsSpeechRequest,
} from "./elevenlabs";
export { createFalQueue, type FalQueue, type FalQueueConfig, type FalQueueRequest } from "./fal-queue";
export { flux2TurboSize, type ImageSize, seedreamV4Size } from "./fal-sizes";
export {
  createOpenAiImages,
  type OpenAiImageRequest,
  type OpenAiImages,
  type OpenAiImagesConfig,
} from "./openai-images";
export {
  createOpenAiSpeech,
  type OpenAiSpeech,
  type OpenAiSpeechConfig,
  type OpenAiSpeechRequest,
} from "./openai-speech";
export {
  createStability,
  type Stability,
  type StabilityConfig,
  type StabilityImageRequest,
  type StabilityImageToImageRequest,
} from "./stability";
