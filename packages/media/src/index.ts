export {
  type GeneratedFile,
  type GenerateContext,
  type Generator,
  PermanentGenerationError,
  TransientGenerationError,
} from "./generator";
export { createNoopGenerator } from "./noop";
