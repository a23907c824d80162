export {
  type GenerateContext,
  type GeneratedFile,
  type Generator,
  PermanentGenerationError,
  TransientGenerationError,
} from "./generator";
export { createLocalStudioGenerator, LOCAL_STUDIO_MODEL, renderImage } from "./image/local-studio";
export { createNoopGenerator } from "./noop";
