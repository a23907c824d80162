import {
  AppError,
  type AudioJobRequest,
  DEFAULT_MODEL,
  type VideoJobRequest,
} from "@mcpmediaengine/contract";
import type { EngineContext } from "../../context";

/**
 * Video and speech jobs until their engines land: refused as an unavailable model (422, with the models of the
 * type that can run here, none yet), so callers get the same answer they will get for a model not configured.
 */
export function refuseMediaJob(args: {
  ctx: EngineContext;
  input: VideoJobRequest | AudioJobRequest;
}): never {
  const { ctx, input } = args;
  const model = input.model ?? DEFAULT_MODEL[input.type];
  ctx.models.require(model, input.type);
  throw new AppError("model_unavailable", `No ${input.type} engine runs on this server yet.`, {
    available: [],
  });
}
