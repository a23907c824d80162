import { createHmac, timingSafeEqual } from "node:crypto";

export interface SignedAssetRef {
  assetId: string;
  extension: string;
}

/**
 * Asset URLs carry an HMAC of the asset id (and of the expiry, when the operator sets a lifetime), so they work
 * without the API key, like presigned URLs, yet cannot be guessed or altered.
 */
export class AssetUrlSigner {
  constructor(
    private readonly secret: string,
    /** Seconds a URL stays valid; undefined means URLs never expire. */
    private readonly lifetimeSeconds?: number,
  ) {}

  url(baseUrl: string, asset: SignedAssetRef, now: number = Date.now()): string {
    const expires = this.lifetimeSeconds ? Math.floor(now / 1000) + this.lifetimeSeconds : undefined;
    const query = new URLSearchParams();
    if (expires !== undefined) query.set("expires", String(expires));
    query.set("sig", this.signature(asset.assetId, expires));
    return `${baseUrl.replace(/\/+$/, "")}/assets/${asset.assetId}.${asset.extension}?${query}`;
  }

  /** True when sig matches the asset id and expiry and the expiry, if any, has not passed. */
  verify(
    assetId: string,
    sig: string | undefined,
    expires: string | undefined,
    now: number = Date.now(),
  ): boolean {
    if (!sig) return false;
    let expiresAt: number | undefined;
    if (expires !== undefined) {
      if (!/^\d{1,12}$/.test(expires)) return false;
      expiresAt = Number(expires);
      if (expiresAt * 1000 < now) return false;
    }
    const expected = Buffer.from(this.signature(assetId, expiresAt));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private signature(assetId: string, expires: number | undefined): string {
    return createHmac("sha256", this.secret)
      .update(`${assetId}.${expires ?? ""}`)
      .digest("base64url")
      .slice(0, 32);
  }
}
