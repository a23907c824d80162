import { z } from "zod";

export const IsoDateTime = z.iso.datetime({ offset: true });

export const Metadata = z
  .record(z.string().min(1).max(40), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
  .refine((m) => Object.keys(m).length <= 50, { message: "At most 50 metadata keys." })
  .describe(
    "Your own key-value pairs, returned unchanged with the job and its webhook events. Up to 50 keys of at most 40 characters; values are strings (at most 500 characters), numbers, booleans or null.",
  );
export type Metadata = z.infer<typeof Metadata>;

export const WebhookUrl = z
  .url({ protocol: /^https?$/, normalize: true })
  .max(2048)
  .describe("An http(s) URL that receives a signed POST when the job ends.");

export const PageLimit = z.coerce
  .number()
  .int()
  .min(1)
  .max(100)
  .default(20)
  .describe("How many items to return, 1 to 100. Default 20.");

export const Cursor = z
  .string()
  .min(1)
  .max(200)
  .describe("The nextCursor of the previous page; omit it for the first page.");
