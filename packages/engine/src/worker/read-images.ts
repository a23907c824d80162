import type { InputImageRef } from "@mcpmediaengine/contract";
import type { InputImage, RunImages } from "@mcpmediaengine/media";
import { PermanentGenerationError } from "@mcpmediaengine/media";
import { AssetMissingError } from "../assets/store";
import type { EngineContext } from "../context";
import { findUploads } from "../repositories/uploads";

/** The input image references a job's stored input carries, if any. */
function refsOf(input: unknown): { inputs: InputImageRef[]; mask?: InputImageRef } {
  const stored = input as { inputImages?: InputImageRef[]; mask?: InputImageRef; inputImage?: InputImageRef };
  if (stored.inputImage) return { inputs: [stored.inputImage] };
  return { inputs: stored.inputImages ?? [], ...(stored.mask && { mask: stored.mask }) };
}

/**
 * The bytes of a job's input images, read from the account's uploads through the asset store, for the generator
 * (GenerateContext.images). Undefined when the job has none. An upload whose object is gone fails the job
 * (`generation_failed`): no retry brings it back. A store that cannot be read throws its error, retried.
 */
export async function readRunImages(
  ctx: EngineContext,
  accountId: string,
  input: unknown,
): Promise<RunImages | undefined> {
  const refs = refsOf(input);
  const all = [...refs.inputs, ...(refs.mask ? [refs.mask] : [])];
  if (all.length === 0) return undefined;
  const rows = new Map(
    (
      await findUploads(
        ctx.db,
        accountId,
        all.map((r) => r.uploadId),
      )
    ).map((row) => [row.id, row]),
  );
  const read = async (ref: InputImageRef): Promise<InputImage> => {
    const row = rows.get(ref.uploadId);
    if (!row)
      throw new PermanentGenerationError("generation_failed", `The input image ${ref.uploadId} is gone.`);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of await ctx.assets.read(row.sha256)) chunks.push(chunk as Buffer);
      return { data: Buffer.concat(chunks), mimeType: row.mime_type, width: row.width, height: row.height };
    } catch (error) {
      if (error instanceof AssetMissingError)
        throw new PermanentGenerationError(
          "generation_failed",
          `The input image ${ref.uploadId} is gone from the store.`,
        );
      throw error;
    }
  };
  const inputs = await Promise.all(refs.inputs.map(read));
  return { inputs, ...(refs.mask && { mask: await read(refs.mask) }) };
}
