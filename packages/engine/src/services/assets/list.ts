import type { AssetList, ListAssetsRequest } from "@mcpmediaengine/contract";
import type { Caller, EngineContext, RequestScope } from "../../context";
import { listAccountAssets, postersOfJobs } from "../../repositories/assets";
import { presentAsset } from "../jobs/present";
import { decodeIdCursor, encodeIdCursor } from "../paging";

/** The caller's files, newest first, each with the job it came from (the console's gallery). */
export async function listAssets(args: {
  ctx: EngineContext;
  caller: Caller;
  scope: RequestScope;
  input: ListAssetsRequest;
}): Promise<AssetList> {
  const { ctx, caller, scope, input } = args;
  const rows = await listAccountAssets(ctx.db, {
    accountId: caller.accountId,
    type: input.type,
    model: input.model,
    role: input.role,
    beforeId: input.cursor ? decodeIdCursor("asset", input.cursor) : undefined,
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const posters = await postersOfJobs(
    ctx.db,
    page.filter((r) => r.job_type === "video" && r.role === "main").map((r) => r.job_id),
  );
  return {
    data: page.map((row) => {
      const poster = row.role === "main" ? posters.get(row.job_id) : undefined;
      return {
        ...presentAsset(ctx, scope, row),
        jobId: row.job_id,
        type: row.job_type,
        model: row.job_model,
        prompt: promptOf(row.job_input),
        createdAt: row.created_at.toISOString(),
        posterUrl: poster ? presentAsset(ctx, scope, poster).url : null,
      };
    }),
    nextCursor:
      rows.length > input.limit && page.length > 0 ? encodeIdCursor(page[page.length - 1]!.id) : null,
  };
}

/** What a job was asked for: every job input has a prompt (for speech, the text spoken). */
function promptOf(input: unknown): string {
  const prompt = (input as { prompt?: unknown } | null)?.prompt;
  return typeof prompt === "string" ? prompt : "";
}
