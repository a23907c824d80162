import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { text } from "node:stream/consumers";
import { expect, test } from "vitest";
import { AssetStore } from "./store";

test("stores bytes once under their sha256, and reads ranges back", async () => {
  const store = new AssetStore(mkdtempSync(join(tmpdir(), "mme-store-")));
  const first = await store.put(Buffer.from("hello world"));
  const again = await store.put(Buffer.from("hello world"));
  expect(first).toEqual({
    sha256: "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
    bytes: 11,
  });
  expect(again).toEqual(first);
  expect(readFileSync(store.pathOf(first.sha256), "utf8")).toBe("hello world");
  expect(readdirSync(join(store.root, "b9", "4d"))).toEqual([first.sha256]);
  expect(await text(store.read(first.sha256, { start: 6, end: 10 }))).toBe("world");
  expect(await store.size(first.sha256)).toBe(11);
  expect(() => store.pathOf("../../etc/passwd")).toThrow();
});
