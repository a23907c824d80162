import { z } from "zod";

/** The longest deadline a job may carry: a day, longer than any run timeout. */
export const MAX_CANCEL_AFTER_SECONDS = 86_400;

export const JobPriority = z
  .enum(["normal", "low"])
  .describe(
    "normal: runs as soon as a worker and the plan's concurrency allow. low: runs only while no normal job of any account is waiting; costs the same credits. Default normal for POST /v1/jobs, low for the jobs of POST /v1/batch.",
  );
export type JobPriority = z.infer<typeof JobPriority>;

export const CancelAfter = z
  .number()
  .int()
  .min(1)
  .max(MAX_CANCEL_AFTER_SECONDS)
  .describe(
    `A deadline in seconds from submission, 1 to ${MAX_CANCEL_AFTER_SECONDS}: a job not ended by then is canceled (also while it runs) and its credits released. No deadline when omitted.`,
  );
export type CancelAfter = z.infer<typeof CancelAfter>;
