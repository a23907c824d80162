export { buildCues, type Cue, toSrt, toWebVtt } from "./audio/captions";
export { AUDIO_MIME_TYPES, encodeAudio, wavFile } from "./audio/encode-audio";
export {
  ESPEAK_VOICES,
  SPEECH_SAMPLE_RATE,
  type Speech,
  splitSentences,
  type WordTiming,
} from "./audio/espeak";
export { createLocalVoiceGenerator, LOCAL_VOICE_MODEL, synthesizeSpeech } from "./audio/local-voice";
export { BITEXACT, ffmpegPath, runFfmpeg, writeChunk } from "./ffmpeg";
export {
  type GenerateContext,
  type GeneratedFile,
  GenerationAbortedError,
  type Generator,
  type InputOf,
  PermanentGenerationError,
  ProviderAccountError,
  type ProviderAccountProblem,
  TransientGenerationError,
} from "./generator";
export { type HostedModels, hostedModels } from "./hosted/models";
export type { HostedProvider, HostedSettings } from "./hosted/settings";
export { encodeImage } from "./image/encode";
export { createLocalStudioGenerator, drawImage, LOCAL_STUDIO_MODEL, renderImage } from "./image/local-studio";
export { parseScene } from "./image/prompt/parse-scene";
export type { SceneSpec } from "./image/prompt/scene-spec";
export {
  decodeImage,
  type InputImage,
  probeImage,
  type RunImages,
  sniffImageType,
} from "./inputs/input-image";
export { createNoopGenerator } from "./noop";
export { observeProviderCalls, type ProviderCall, type ProviderCallObserver } from "./providers/observe";
export {
  clipEncoderArgs,
  clipFrames,
  createLocalMotionGenerator,
  LOCAL_MOTION_MODEL,
  narrate,
  writeNarration,
} from "./video/local-motion";
