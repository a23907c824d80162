import type { Asset, Job } from "@mcpmediaengine/contract";
import type { AssetRow, JobRow } from "@mcpmediaengine/db";
import type { EngineContext, RequestScope } from "../../context";
import { assetExpiry } from "../assets/expiry";

/** The public shape of a job row and its assets; the one place storage becomes contract. */
export function presentJob(ctx: EngineContext, scope: RequestScope, row: JobRow, assets: AssetRow[]): Job {
  return {
    jobId: row.id,
    type: row.type,
    model: row.model,
    status: row.status,
    progress: row.status === "completed" ? 1 : row.progress,
    input: row.input as Job["input"],
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    completedAt: row.completed_at?.toISOString() ?? null,
    attempts: row.attempts,
    cost: { credits: row.cost_credits },
    result:
      row.status === "completed"
        ? {
            assets: assets.map((a) => presentAsset(ctx, scope, a)),
          }
        : null,
    error:
      row.status === "failed"
        ? {
            code: (row.error_code ?? "internal_error") as NonNullable<Job["error"]>["code"],
            message: row.error_message ?? "",
          }
        : null,
    servedBy:
      row.status === "completed" && row.served_model
        ? { model: row.served_model, provider: row.served_provider ?? "local" }
        : null,
    webhookUrl: row.webhook_url,
    // Written only after the contract's Metadata accepted it.
    metadata: row.metadata as Job["metadata"],
    batchId: row.batch_id,
    customId: row.custom_id,
  };
}

/** One asset row as the contract shows it, with a signed URL for the request's base URL. */
export function presentAsset(ctx: EngineContext, scope: RequestScope, a: AssetRow): Asset {
  return {
    assetId: a.id,
    url: ctx.urls.url(scope.baseUrl, { assetId: a.id, extension: a.extension }),
    mimeType: a.mime_type,
    bytes: a.bytes,
    sha256: a.sha256,
    role: a.role,
    ...(a.width !== null && { width: a.width }),
    ...(a.height !== null && { height: a.height }),
    ...(a.duration_ms !== null && { durationMs: a.duration_ms }),
    expiresAt: assetExpiry(ctx, a)?.toISOString() ?? null,
  };
}
