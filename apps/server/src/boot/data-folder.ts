import { randomBytes } from "node:crypto";
import { mkdir, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { StartupError } from "@mcpmediaengine/db";

/**
 * Makes sure this process can write to the data folder, before anything else uses it: a read-only mount or a folder
 * of another user is then named as such (EROFS, EACCES), rather than surfacing later as an unrelated failure of
 * initdb, of the folder lock or of the first asset written.
 */
export async function assertWritableDataFolder(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    throw new StartupError(
      `Cannot create the data folder ${dataDir} (${describe(error)}). Choose a writable folder with MME_DATA_DIR.`,
    );
  }
  const probe = join(dataDir, `.write-check-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    await writeFile(probe, "", { flag: "wx" });
  } catch (error) {
    throw new StartupError(
      `The data folder ${dataDir} is not writable (${describe(error)}). Choose a writable folder with MME_DATA_DIR, or make this one writable.`,
    );
  }
  await unlink(probe).catch(() => {});
}

function describe(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === "EROFS") return "EROFS: it is on a read-only file system";
  if (code === "EACCES" || code === "EPERM") return `${code}: permission denied`;
  return code ?? message;
}
