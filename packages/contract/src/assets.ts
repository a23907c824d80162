import { z } from "zod";
import { Cursor, IsoDateTime, PageLimit, StorableString } from "./common";
import { Asset, AssetRole, JobId } from "./job";
import { MediaType } from "./models";

export const ListAssetsRequest = z
  .object({
    type: MediaType.optional().describe("Only files of jobs of this media type."),
    model: StorableString.max(100).optional().describe("Only files of jobs for this model."),
    role: AssetRole.optional().describe("Only files in this role; every role when omitted."),
    limit: PageLimit,
    cursor: Cursor.optional(),
  })
  .describe(
    "Filters and paging for the account's files, newest first. Files past the retention period are left out.",
  );
export type ListAssetsRequest = z.infer<typeof ListAssetsRequest>;

export const AccountAsset = Asset.extend({
  jobId: JobId.describe("The job that made the file."),
  type: MediaType.describe("The media type of the job that made the file."),
  model: z.string().describe("The model the job asked for."),
  prompt: z
    .string()
    .describe("What the job was asked for: the prompt of an image or video, the text of speech."),
  createdAt: IsoDateTime.describe("When the file was made."),
  posterUrl: z
    .string()
    .nullable()
    .describe("For a video's main file, the signed URL of its poster still; null for every other file."),
}).describe("A file the account's jobs made, with the job it came from.");
export type AccountAsset = z.infer<typeof AccountAsset>;

export const AssetList = z
  .object({
    data: z.array(AccountAsset).describe("Files, newest first."),
    nextCursor: z.string().nullable().describe("Pass as cursor for the next page; null on the last page."),
  })
  .describe("A page of the account's files.");
export type AssetList = z.infer<typeof AssetList>;
