import { AppError, type CreateBatchRequest, MAX_BATCH_SIZE } from "@mcpmediaengine/contract";

/**
 * The batch's items as raw objects, each with the defaults under it: the given jobs, or the matrix's every
 * combination (prompts outermost, seeds innermost). Refuses a batch over the plan's largest (or over 500) before
 * anything is built, so a matrix of a million combinations costs nothing.
 */
export function expandItems(input: CreateBatchRequest, planMax: number): Record<string, unknown>[] {
  const max = Math.min(planMax, MAX_BATCH_SIZE);
  const defaults: Record<string, unknown> = { ...input.defaults };
  if (input.jobs) {
    refuseOver(input.jobs.length, max, planMax);
    return input.jobs.map((item) => ({ ...defaults, ...item }));
  }
  const m = input.matrix!;
  const presets: (string | null | undefined)[] = m.presets ?? [undefined];
  const models: (string | undefined)[] = m.models ?? [undefined];
  const seeds: (number | undefined)[] = m.seeds ?? [undefined];
  refuseOver(m.prompts.length * presets.length * models.length * seeds.length, max, planMax);
  const items: Record<string, unknown>[] = [];
  for (const prompt of m.prompts) {
    for (const preset of presets) {
      for (const model of models) {
        for (const seed of seeds) {
          const item: Record<string, unknown> = { type: "image", ...defaults, prompt };
          if (preset === null) delete item.preset;
          else if (preset !== undefined) item.preset = preset;
          if (model !== undefined) item.model = model;
          if (seed !== undefined) item.seed = seed;
          items.push(item);
        }
      }
    }
  }
  return items;
}

function refuseOver(count: number, max: number, planMax: number): void {
  if (count <= max) return;
  const why =
    planMax < MAX_BATCH_SIZE
      ? `your plan allows at most ${planMax} jobs in a batch`
      : `a batch holds at most ${MAX_BATCH_SIZE} jobs`;
  throw new AppError(
    "batch_too_large",
    `This batch has ${count} jobs; ${why}. Split it into smaller batches.`,
    {
      count,
      max,
    },
  );
}
