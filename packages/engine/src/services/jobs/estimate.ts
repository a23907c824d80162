import { type CreateJobRequest, DEFAULT_MODEL, type JobEstimate } from "@mcpmediaengine/contract";
import type { EngineContext } from "../../context";
import { resolveImageInput } from "./resolve-input";

/**
 * What a job would cost, without submitting it or holding anything. A model in the catalog that cannot run here
 * is still priced (with `available: false`); an unknown model answers 422 like a submission would.
 */
export function estimateJob(args: { ctx: EngineContext; input: CreateJobRequest }): JobEstimate {
  const { ctx, input } = args;
  const model = input.model ?? DEFAULT_MODEL[input.type];
  const known = ctx.models.list().find((m) => m.id === model && m.type === input.type);
  if (!known) throw ctx.models.refusal(model, input.type);
  const resolved = resolveImageInput(input);
  return { model, credits: ctx.models.cost(model, resolved), input: resolved, available: known.available };
}
