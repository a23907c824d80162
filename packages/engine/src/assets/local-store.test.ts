import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { text } from "node:stream/consumers";
import { isConnectionError } from "@mcpmediaengine/db";
import { expect, test } from "vitest";
import { LocalAssetStore } from "./local-store";
import { AssetMissingError, AssetStoreError } from "./store";

test("stores bytes once under their sha256, reads ranges back, lists and deletes them", async () => {
  const store = new LocalAssetStore(mkdtempSync(join(tmpdir(), "mme-store-")));
  const first = await store.put(Buffer.from("hello world"));
  const again = await store.put(Buffer.from("hello world"));
  expect(first).toEqual({
    sha256: "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
    bytes: 11,
  });
  expect(again).toEqual(first);
  expect(readFileSync(store.pathOf(first.sha256), "utf8")).toBe("hello world");
  expect(readdirSync(join(store.root, "b9", "4d"))).toEqual([first.sha256]);
  expect(await text(await store.read(first.sha256, { start: 6, end: 10 }))).toBe("world");
  expect(await store.size(first.sha256)).toBe(11);
  expect(() => store.pathOf("../../etc/passwd")).toThrow();

  const second = await store.put(Buffer.from("another"));
  const listed: string[] = [];
  for await (const sha256 of store.list()) listed.push(sha256);
  expect(listed.sort()).toEqual([first.sha256, second.sha256].sort());

  await store.delete(first.sha256);
  await store.delete(first.sha256); // deleting what is gone is no error
  expect(await store.size(first.sha256)).toBeUndefined();
  await expect(store.read(first.sha256)).rejects.toBeInstanceOf(AssetMissingError);
  expect(await store.presignedUrl()).toBeUndefined();
});

test("a store error never passes for a lost database", () => {
  const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9000"), { code: "ECONNREFUSED" });
  expect(isConnectionError(refused)).toBe(true);
  const error = new AssetStoreError(refused);
  expect(error.reason).toBe("ECONNREFUSED");
  expect(isConnectionError(error)).toBe(false);
});

// A real full disk: a 16 KiB tmpfs (mounting needs root, as CI runs).
test.runIf(process.getuid?.() === 0)(
  "a full disk fails the write with AssetStoreError and leaves no temporary file",
  async () => {
    const root = mkdtempSync(join(tmpdir(), "mme-store-full-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", root]);
    try {
      const store = new LocalAssetStore(root);
      const error = await store.put(Buffer.alloc(64 * 1024, 7)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AssetStoreError);
      expect((error as AssetStoreError).reason).toBe("ENOSPC");
      expect(
        readdirSync(root, { recursive: true, encoding: "utf8" }).filter((n) => n.endsWith(".tmp")),
      ).toEqual([]);
      expect(await store.put(Buffer.from("small"))).toMatchObject({ bytes: 5 }); // what fits still goes in
    } finally {
      execFileSync("umount", ["-l", root]);
    }
  },
);
