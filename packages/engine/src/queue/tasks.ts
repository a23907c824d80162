import { z } from "zod";

/** graphile-worker task names. Renaming one strands the jobs already queued under the old name. */
export const TASKS = {
  generate: "mme.generate",
} as const;

export const GeneratePayload = z.object({ jobId: z.string() });
export type GeneratePayload = z.infer<typeof GeneratePayload>;
