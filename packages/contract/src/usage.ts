import { z } from "zod";
import { MediaType } from "./models";

const UtcDay = z.iso.date();
const Credits = z.number().int();
const Count = z.number().int();

/** The longest span one usage request may cover, in days. */
export const MAX_USAGE_DAYS = 366;

export const UsageGroupBy = z
  .enum(["day", "model", "type", "day,model", "day,type"])
  .describe(
    "How to group: by UTC day (every day of the span, empty ones as zeros), by model, by media type, or by day and model or day and type (non-empty groups only). Default day.",
  );
export type UsageGroupBy = z.infer<typeof UsageGroupBy>;

export const UsageRequest = z
  .object({
    from: UtcDay.optional().describe(
      "First UTC day counted (YYYY-MM-DD), inclusive. Default: 29 days before `to`, so 30 days in all.",
    ),
    to: UtcDay.optional().describe("Last UTC day counted (YYYY-MM-DD), inclusive. Default: today (UTC)."),
    groupBy: UsageGroupBy.default("day"),
  })
  .describe(`A span of at most ${MAX_USAGE_DAYS} UTC days and how to group it.`);
export type UsageRequest = z.infer<typeof UsageRequest>;

const Figures = {
  creditsSpent: Credits.describe("Credits spent: the cost of jobs that completed (their holds captured)."),
  jobsCompleted: Count.describe("Jobs that completed."),
  jobsFailed: Count.describe("Jobs that failed (their credits released)."),
  jobsCanceled: Count.describe("Jobs that were canceled (their credits released)."),
};

export const UsageRow = z
  .object({
    day: UtcDay.nullable().describe("The UTC day (YYYY-MM-DD) when grouped by day; else null."),
    model: z.string().nullable().describe("The model when grouped by model; else null."),
    type: MediaType.nullable().describe("The media type when grouped by type; else null."),
    ...Figures,
  })
  .describe("One group's figures. Jobs count on the UTC day they ended.");
export type UsageRow = z.infer<typeof UsageRow>;

export const Usage = z
  .object({
    from: UtcDay.describe("First UTC day counted."),
    to: UtcDay.describe("Last UTC day counted."),
    groupBy: UsageGroupBy,
    totals: z.object(Figures).describe("The whole span's figures."),
    data: z
      .array(UsageRow)
      .describe("The groups: by day in date order, otherwise the most credits spent first."),
  })
  .describe("Credits spent and jobs ended in a span of UTC days, grouped.");
export type Usage = z.infer<typeof Usage>;
