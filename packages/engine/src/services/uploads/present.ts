import type { InputImageRef, Upload } from "@mcpmediaengine/contract";
import type { UploadRow } from "@mcpmediaengine/db";

export function presentUpload(row: UploadRow): Upload {
  return {
    uploadId: row.id,
    width: row.width,
    height: row.height,
    mimeType: row.mime_type,
    bytes: row.bytes,
    sha256: row.sha256,
    sourceUrl: row.source_url,
    createdAt: row.created_at.toISOString(),
  };
}

/** An upload as a job's input keeps it. */
export function inputImageRef(row: UploadRow): InputImageRef {
  return { uploadId: row.id, width: row.width, height: row.height, mimeType: row.mime_type };
}
