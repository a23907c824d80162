import { expect, test } from "vitest";
import { AssetUrlSigner } from "./signing";

const asset = { assetId: "ast_0000000000aaaaaaaaaaaaaa", extension: "png" };
const params = (url: string) => new URL(url).searchParams;

test("a signed URL verifies, and only for its own asset", () => {
  const signer = new AssetUrlSigner("secret");
  const url = signer.url("https://media.example.com/", asset);
  expect(url).toMatch(
    /^https:\/\/media\.example\.com\/assets\/ast_0000000000aaaaaaaaaaaaaa\.png\?sig=[\w-]{32}$/,
  );
  const sig = params(url).get("sig")!;
  expect(signer.verify(asset.assetId, sig, undefined)).toBe(true);
  expect(signer.verify("ast_0000000000bbbbbbbbbbbbbb", sig, undefined)).toBe(false);
  expect(signer.verify(asset.assetId, `${sig.slice(0, -1)}x`, undefined)).toBe(false);
  expect(signer.verify(asset.assetId, undefined, undefined)).toBe(false);
  expect(new AssetUrlSigner("other secret").verify(asset.assetId, sig, undefined)).toBe(false);
});

test("with a lifetime, URLs expire and their expiry cannot be extended", () => {
  const signer = new AssetUrlSigner("secret", 600);
  const now = Date.UTC(2026, 0, 1);
  const url = signer.url("http://x", asset, now);
  const sig = params(url).get("sig")!;
  const expires = params(url).get("expires")!;
  expect(Number(expires)).toBe(now / 1000 + 600);
  expect(signer.verify(asset.assetId, sig, expires, now + 599_000)).toBe(true);
  expect(signer.verify(asset.assetId, sig, expires, now + 601_000)).toBe(false);
  expect(signer.verify(asset.assetId, sig, String(Number(expires) + 3600), now)).toBe(false);
  expect(signer.verify(asset.assetId, sig, undefined, now)).toBe(false);
});
