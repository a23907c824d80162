import { execFile } from "node:child_process";
import { mkdir, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Cleanup } from "./cleanup";

const run = promisify(execFile);

/**
 * The shared assets folder on a small tmpfs of its own, so it can be filled without touching the machine's disk.
 * Only root may mount: otherwise `mount` says why not and the disk fault is skipped.
 */
export class AssetDisk {
  private readonly filler: string;

  private constructor(
    readonly path: string,
    private readonly sizeMb: number,
  ) {
    this.filler = join(path, "chaos-filler");
  }

  /** Mounts the tmpfs on `path` (before the engine starts); a reason string when it cannot. */
  static async mount(path: string, sizeMb: number, cleanup: Cleanup): Promise<AssetDisk | string> {
    if (process.getuid?.() !== 0) return "not running as root, so no tmpfs can be mounted";
    await mkdir(path, { recursive: true });
    try {
      await run("mount", ["-t", "tmpfs", "-o", `size=${sizeMb}m,mode=755`, "tmpfs", path]);
    } catch (error) {
      return `mount failed: ${(error as Error).message.trim()}`;
    }
    await cleanup.trackMount(path);
    return new AssetDisk(path, sizeMb);
  }

  /** Writes a filler file until the disk says ENOSPC; returns the bytes written. */
  async fill(): Promise<number> {
    const file = await open(this.filler, "w");
    let written = 0;
    try {
      for (const chunkSize of [1024 * 1024, 4096]) {
        const chunk = Buffer.alloc(chunkSize, 1);
        // Bounded: the disk cannot take more than its size.
        for (let i = 0; i < ((this.sizeMb + 1) * 1024 * 1024) / chunkSize; i++) {
          try {
            written += (await file.write(chunk)).bytesWritten;
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === "ENOSPC") break;
            throw error;
          }
        }
      }
    } finally {
      await file.close();
    }
    return written;
  }

  async free(): Promise<void> {
    await rm(this.filler, { force: true });
  }
}
