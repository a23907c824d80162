import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { access, constants, mkdir, open, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import {
  AssetMissingError,
  type AssetStore,
  AssetStoreError,
  type ByteRange,
  blobPath,
  type StoredBlob,
} from "./store";

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Content-addressed files under `<root>/<aa>/<bb>/<sha256>`. A file is written to a temporary name and renamed,
 * so a reader never sees half a file.
 */
export class LocalAssetStore implements AssetStore {
  constructor(readonly root: string) {}

  get location(): string {
    return this.root;
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
    } catch (error) {
      if ((error as { code?: string }).code === "ENOENT") return undefined;
      throw new AssetStoreError(error, "look for the file");
    }
  }

  async read(sha256: string, range?: ByteRange): Promise<Readable> {
    // Opened before the stream is handed out, so a missing file is an error here, not mid-response.
    const handle = await open(this.pathOf(sha256)).catch((error: unknown) => {
      if ((error as { code?: string }).code === "ENOENT") throw new AssetMissingError(sha256);
      throw new AssetStoreError(error, "read the file");
    });
    return handle.createReadStream(range);
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true }).catch((error: unknown) => {
      throw new AssetStoreError(error, "delete the file");
    });
  }

  async *list(): AsyncIterable<string> {
    for (const first of await subfolders(this.root)) {
      for (const second of await subfolders(join(this.root, first))) {
        for (const name of await readdir(join(this.root, first, second))) {
          if (SHA256.test(name) && name.startsWith(first + second)) yield name;
        }
      }
    }
  }

  async presignedUrl(): Promise<undefined> {
    return undefined;
  }

  pathOf(sha256: string): string {
    return join(this.root, blobPath(sha256));
  }
}

async function subfolders(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && /^[0-9a-f]{2}$/.test(e.name)).map((e) => e.name);
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return [];
    throw error;
  }
}
