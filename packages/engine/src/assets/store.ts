import { createHash, randomBytes } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { access, constants, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";

export interface StoredBlob {
  sha256: string;
  bytes: number;
}

/** The store could not keep a file (a full disk, a read-only or failing volume). */
export class AssetStoreError extends Error {
  readonly code: string | undefined;
  constructor(cause: unknown) {
    const code = (cause as { code?: string }).code;
    super(
      `Could not store the file${code ? ` (${code})` : ""}: ${(cause as Error).message ?? String(cause)}`,
      {
        cause,
      },
    );
    this.name = "AssetStoreError";
    this.code = code;
  }
}

/**
 * Content-addressed files under `<root>/<aa>/<bb>/<sha256>`. A file is written to a temporary name and renamed,
 * so a reader never sees half a file; the same bytes are stored once however many jobs make them.
 */
export class AssetStore {
  constructor(readonly root: string) {}

  async put(data: Buffer): Promise<StoredBlob> {
    const sha256 = createHash("sha256").update(data).digest("hex");
    const path = this.pathOf(sha256);
    if (!existsSync(path)) {
      await mkdir(join(path, ".."), { recursive: true }).catch((error) => {
        throw new AssetStoreError(error);
      });
      const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
      try {
        await writeFile(temporary, data);
        await rename(temporary, path);
      } catch (error) {
        // A full or failing disk leaves half a file behind: take it away, then report the failure.
        await rm(temporary, { force: true }).catch(() => {});
        throw new AssetStoreError(error);
      }
    }
    return { sha256, bytes: data.length };
  }

  async size(sha256: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(sha256))).size;
    } catch {
      return undefined;
    }
  }

  /** A stream of the bytes from start to end, both inclusive. */
  read(sha256: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.pathOf(sha256), range);
  }

  /** Whether the store's folder can be read (made first if it is missing: a fresh deployment has none yet). */
  async reachable(): Promise<boolean> {
    try {
      await mkdir(this.root, { recursive: true });
      await access(this.root, constants.R_OK | constants.X_OK);
      return (await stat(this.root)).isDirectory();
    } catch {
      return false;
    }
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error("not a sha256");
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }
}
