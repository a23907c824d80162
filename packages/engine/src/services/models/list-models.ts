import { costRule, findModel, type ModelList, modelInputs } from "@mcpmediaengine/contract";
import type { EngineContext } from "../../context";

/** Every model with what it costs and whether this server can run it now. */
export function listModels(args: { ctx: EngineContext }): ModelList {
  return {
    data: args.ctx.models.list().map((m) => {
      const definition = findModel(m.id);
      return {
        id: m.id,
        type: m.type,
        provider: definition?.provider ?? "local",
        description: definition?.description ?? "A development model (MME_DEV_MODELS=1).",
        available: m.available,
        ...(m.reason !== undefined && { reason: m.reason }),
        ...(definition?.voices && { voices: [...definition.voices] }),
        inputs: modelInputs(definition),
        cost: definition
          ? { credits: definition.credits, unit: definition.unit, rule: costRule(definition) }
          : { credits: 1, unit: "megapixel" as const, rule: "1 credit a job" },
      };
    }),
  };
}
