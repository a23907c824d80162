import { CreateUploadRequest, GetUploadRequest, Upload } from "@mcpmediaengine/contract";
import { createUpload, getUpload } from "@mcpmediaengine/engine";
import { authedProcedure, router } from "../init";

const tags = ["uploads"];

export const uploadsRouter = router({
  create: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/uploads",
        tags,
        protect: true,
        summary: "Upload an image",
        description:
          "Keeps a PNG, JPEG or WebP image (at most 20 MB, 16 to 8192 px a side) for your jobs' inputImages, mask or inputImage. Send JSON with `url` (an https URL, fetched once) or `data` (base64), or the bytes themselves as the body (Content-Type image/png, image/jpeg or image/webp), or a multipart form with a `file` field.",
        successDescription: "The upload, with its id for later jobs.",
      },
    })
    .input(CreateUploadRequest)
    .output(Upload)
    .mutation(({ ctx, input }) => createUpload({ ctx: ctx.engine, caller: ctx.caller, input })),

  get: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/uploads/{uploadId}",
        tags,
        protect: true,
        summary: "Get an upload",
        description: "One of your uploads; another account's answers 404.",
      },
    })
    .input(GetUploadRequest)
    .output(Upload)
    .query(({ ctx, input }) => getUpload({ ctx: ctx.engine, caller: ctx.caller, input })),
});
