import { randomBytes } from "node:crypto";
import { readFileSync, unlinkSync } from "node:fs";
import { link, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { StartupError } from "@mcpmediaengine/db";

/** Who holds a data folder: written to `<dataDir>/engine.lock` as JSON. */
export interface LockHolder {
  pid: number;
  /** What the process is: "start --role all", "mcp (stdio)", "keys create", … */
  what: string;
  /** Its HTTP API, once it listens. */
  url?: string;
  port?: number;
  startedAt: string;
  /** Linux: the boot the lock was taken in, and the holder's start time in ticks; a reboot or a reused pid shows. */
  bootId?: string;
  processStart?: string;
  /** Ours alone: tells our lock from one written in its place. */
  nonce: string;
}

export interface FolderLock {
  holder: LockHolder;
  /** Adds what became known after locking (the HTTP port). */
  update(change: Partial<Pick<LockHolder, "url" | "port">>): Promise<void>;
  release(): Promise<void>;
}

const FILE = "engine.lock";

/**
 * Takes the data folder for this process: the one that runs the folder's embedded Postgres. Returns the live holder
 * instead when another process has it. A lock whose process is gone (dead pid, a pid reused by another program,
 * a lock from before a reboot) is stale and taken over. Creation is atomic (the full record is hard-linked into
 * place), so two starts at once cannot both win.
 */
export async function lockDataFolder(
  dataDir: string,
  what: string,
): Promise<FolderLock | { heldBy: LockHolder }> {
  const file = join(dataDir, FILE);
  const holder: LockHolder = {
    pid: process.pid,
    what,
    startedAt: new Date().toISOString(),
    bootId: bootId(),
    processStart: processStart(process.pid),
    nonce: randomBytes(8).toString("hex"),
  };
  for (let attempt = 0; attempt < 10; attempt++) {
    if (await create(file, holder)) return ownLock(file, holder);
    const raw = await readFile(file, "utf8").catch(() => undefined);
    if (raw === undefined) continue; // released meanwhile
    const current = parse(raw);
    if (current && isLive(current)) return { heldBy: current };
    // Stale: move it aside, then check that what moved is what was judged stale, not a fresh lock written since.
    const aside = `${file}.stale-${holder.nonce}`;
    if (
      !(await rename(file, aside).then(
        () => true,
        () => false,
      ))
    )
      continue;
    const moved = await readFile(aside, "utf8").catch(() => raw);
    if (moved !== raw) await link(aside, file).catch(() => {});
    await unlink(aside).catch(() => {});
  }
  throw new StartupError(`Could not take the lock ${file}: other processes keep taking and leaving it.`);
}

/** Creates the lock file with the whole record at once; false when it exists. */
async function create(file: string, holder: LockHolder): Promise<boolean> {
  const temp = `${file}.${holder.nonce}`;
  await writeFile(temp, `${JSON.stringify(holder)}\n`);
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    // A file system without hard links: exclusive create (not atomic with its content, which is rarely needed).
    return writeFile(file, `${JSON.stringify(holder)}\n`, { flag: "wx" }).then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code === "EEXIST") return false;
        throw e;
      },
    );
  } finally {
    await unlink(temp).catch(() => {});
  }
}

function ownLock(file: string, holder: LockHolder): FolderLock {
  const ours = (raw: string | undefined) => raw !== undefined && parse(raw)?.nonce === holder.nonce;
  // A process that ends without release() (process.exit on a fatal error) still leaves the folder free.
  const onExit = () => {
    try {
      if (ours(readFileSync(file, "utf8"))) unlinkSync(file);
    } catch {}
  };
  process.once("exit", onExit);
  return {
    holder,
    async update(change) {
      Object.assign(holder, change);
      if (!ours(await readFile(file, "utf8").catch(() => undefined))) return;
      const temp = `${file}.${holder.nonce}`;
      await writeFile(temp, `${JSON.stringify(holder)}\n`);
      await rename(temp, file);
    },
    async release() {
      process.off("exit", onExit);
      if (ours(await readFile(file, "utf8").catch(() => undefined))) await unlink(file).catch(() => {});
    },
  };
}

function parse(raw: string): LockHolder | undefined {
  try {
    const value = JSON.parse(raw) as LockHolder;
    return typeof value.pid === "number" ? value : undefined;
  } catch {
    return undefined;
  }
}

function isLive(holder: LockHolder): boolean {
  const boot = bootId();
  if (holder.bootId && boot && holder.bootId !== boot) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // The pid lives, but is it still the holder? A restarted container's engine is pid 1 again, for one.
  const started = processStart(holder.pid);
  return !(holder.processStart && started && started !== holder.processStart);
}

function bootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/** The sentence a second start gets. */
export function describeHolder(holder: LockHolder, dataDir: string): string {
  const where = holder.url
    ? `, API on ${holder.url}`
    : holder.port !== undefined
      ? `, port ${holder.port}`
      : "";
  return `Another mcp-media-engine (pid ${holder.pid}, ${holder.what}${where}, since ${holder.startedAt}) is already running on the data folder ${dataDir}, with the embedded Postgres it started.`;
}
