import {
  type CreateJobRequest,
  DEFAULT_MODEL,
  type JobEstimate,
  JobRequest,
  parseRequest,
} from "@mcpmediaengine/contract";
import type { EngineContext } from "../../context";
import { resolveJobInput } from "./resolve-input";

/**
 * What a job would cost, without submitting it or holding anything. A model in the catalog that cannot run here
 * is still priced (with `available: false`); an unknown model answers 422 like a submission would.
 */
export function estimateJob(args: { ctx: EngineContext; input: JobRequest | CreateJobRequest }): JobEstimate {
  const { ctx } = args;
  const input = parseRequest(JobRequest, args.input);
  const model = input.model ?? DEFAULT_MODEL[input.type];
  const known = ctx.models.list().find((m) => m.id === model && m.type === input.type);
  if (!known) throw ctx.models.refusal(model, input.type);
  ctx.models.checkRequest(model, input);
  // Input images are neither looked up nor fetched for an estimate: the cost does not depend on them.
  const resolved = resolveJobInput(input, model);
  ctx.models.checkInput(model, resolved);
  return {
    model,
    credits: ctx.models.cost(model, resolved),
    input: resolved.input,
    available: known.available,
  };
}
