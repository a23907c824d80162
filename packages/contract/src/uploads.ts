import { z } from "zod";
import { IsoDateTime, StorableString } from "./common";
import { idSchema } from "./ids";

export const UploadId = idSchema("upload", "An image uploaded with POST /v1/uploads.");

/** What an upload may be: the formats, the largest file, and the sides an image may have. */
export const UPLOAD_LIMITS = {
  mimeTypes: ["image/png", "image/jpeg", "image/webp"] as const,
  maxBytes: 20 * 1024 * 1024,
  minSide: 16,
  maxSide: 8192,
  maxPixels: 50_000_000,
};

export const UploadMimeType = z
  .enum(UPLOAD_LIMITS.mimeTypes)
  .describe("The image's media type, read from its bytes: image/png, image/jpeg or image/webp.");
export type UploadMimeType = z.infer<typeof UploadMimeType>;

/** An https URL the engine fetches once (through the same address guard as webhooks) and keeps as an upload. */
export const ImageUrl = StorableString.url({ protocol: /^https?$/, normalize: true })
  .max(2048)
  .describe(
    "An https URL of a PNG, JPEG or WebP image, fetched once (at most 20 MB, 15 s) from a public address and kept as an upload.",
  );

// One of the two shapes a JSON upload takes; a raw body or multipart form goes to POST /v1/uploads as is.
export const CreateUploadRequest = z
  .strictObject({
    url: ImageUrl.optional(),
    data: z
      .string()
      .max(Math.ceil((UPLOAD_LIMITS.maxBytes * 4) / 3) + 4)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: "Must be base64." })
      .optional()
      .describe(
        "The image's bytes in base64 (PNG, JPEG or WebP, at most 20 MB). Or send the bytes themselves as the body (Content-Type image/png, image/jpeg or image/webp) or as a multipart form's `file` field.",
      ),
  })
  .refine((r) => (r.url === undefined) !== (r.data === undefined), {
    message: "Give either url or data, not both.",
  })
  .describe("An image to keep for later jobs: its URL, or its bytes in base64.")
  .meta({ examples: [{ url: "https://example.com/photos/bottle.png" }] });
export type CreateUploadRequest = z.infer<typeof CreateUploadRequest>;

export const Upload = z
  .object({
    uploadId: UploadId,
    width: z.number().int().describe("Width in pixels."),
    height: z.number().int().describe("Height in pixels."),
    mimeType: UploadMimeType,
    bytes: z.number().int().describe("Size in bytes."),
    sha256: z.string().describe("Hex SHA-256 of the file's bytes."),
    sourceUrl: z.string().nullable().describe("The URL it was fetched from; null when its bytes were sent."),
    createdAt: IsoDateTime.describe("When it was uploaded."),
  })
  .describe(
    "An image kept for the account, to start jobs from (inputImages, mask, inputImage). Only this account can use it.",
  );
export type Upload = z.infer<typeof Upload>;

export const GetUploadRequest = z.object({ uploadId: UploadId });
export type GetUploadRequest = z.infer<typeof GetUploadRequest>;
