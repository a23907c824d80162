import type { AssetStore } from "@mcpmediaengine/engine";

/**
 * With presigned asset URLs the console's media come from the store (our signed URL redirects there), so its CSP
 * must allow the store's origin: the origin of a URL the store presigns. None otherwise.
 */
export async function presignedOrigins(
  assets: AssetStore,
  assetUrls: "signed" | "presigned",
): Promise<string[]> {
  if (assetUrls !== "presigned") return [];
  const url = await assets
    .presignedUrl("0".repeat(64), { lifetimeSeconds: 60, contentType: "application/octet-stream" })
    .catch(() => undefined);
  return url ? [new URL(url).origin] : [];
}
