import { AppError, type GetUploadRequest, type Upload } from "@mcpmediaengine/contract";
import type { Caller, EngineContext } from "../../context";
import { findUploads } from "../../repositories/uploads";
import { presentUpload } from "./present";

/** One of the account's uploads; another account's is `not_found`, like one that never was. */
export async function getUpload(args: {
  ctx: EngineContext;
  caller: Caller;
  input: GetUploadRequest;
}): Promise<Upload> {
  const [row] = await findUploads(args.ctx.db, args.caller.accountId, [args.input.uploadId]);
  if (!row) throw new AppError("not_found", `No upload ${args.input.uploadId}.`);
  return presentUpload(row);
}
