import { execFile, spawn } from "node:child_process";
import { chmod, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

interface JanitorState {
  /** Process groups the harness started (each child is the leader of its own group). */
  processGroups: { pid: number; label: string }[];
  /** Files whose first line is the pid of a server to kill (Postgres's postmaster.pid). */
  pidFiles: string[];
  mounts: string[];
  dirs: string[];
}

/**
 * Everything the run leaves on the machine, and the undoing of it: process groups, the tmpfs mount and the temp
 * folder. The harness undoes them itself at the end (`sweep`); a detached janitor process does it if the harness
 * dies first, reading the same list from a state file.
 */
export class Cleanup {
  private readonly state: JanitorState = { processGroups: [], pidFiles: [], mounts: [], dirs: [] };
  private janitorPid: number | undefined;
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    /** The run's temp folder: every file of the run lives under it. */
    readonly root: string,
  ) {}

  /** Makes the run's temp folder (enterable by the postgres user) and starts the janitor for it. */
  static async begin(lifetimeMs: number): Promise<Cleanup> {
    const root = await mkdtemp(join(tmpdir(), "mme-chaos-"));
    // mkdtemp makes 0700; Postgres runs as its own user and must enter it.
    await chmod(root, 0o755);
    const cleanup = new Cleanup(root);
    cleanup.state.dirs.push(root);
    await cleanup.save();
    const janitor = spawn(
      process.execPath,
      [
        new URL("./janitor.mjs", import.meta.url).pathname,
        String(process.pid),
        cleanup.stateFile,
        String(lifetimeMs),
      ],
      { detached: true, stdio: "ignore" },
    );
    janitor.unref();
    cleanup.janitorPid = janitor.pid;
    return cleanup;
  }

  private get stateFile(): string {
    return join(this.root, "janitor.json");
  }

  /** Saves one at a time, each whole (written aside, then renamed), so the janitor never reads half a list. */
  private save(): Promise<void> {
    const next = `${this.stateFile}.next`;
    this.saving = this.saving
      .then(async () => {
        await writeFile(next, JSON.stringify(this.state));
        await rename(next, this.stateFile);
      })
      .catch(() => {}); // once the sweep has removed the folder there is nothing left to save
    return this.saving;
  }

  async trackProcess(pid: number, label: string): Promise<void> {
    this.state.processGroups.push({ pid, label });
    await this.save();
  }

  async untrackProcess(pid: number): Promise<void> {
    this.state.processGroups = this.state.processGroups.filter((p) => p.pid !== pid);
    await this.save();
  }

  async trackPidFile(path: string): Promise<void> {
    this.state.pidFiles.push(path);
    await this.save();
  }

  async trackMount(path: string): Promise<void> {
    this.state.mounts.push(path);
    await this.save();
  }

  async untrackMount(path: string): Promise<void> {
    this.state.mounts = this.state.mounts.filter((m) => m !== path);
    await this.save();
  }

  /**
   * Kills every process group still listed, unmounts, removes the temp folder, then stops the janitor. Returns
   * what could not be undone (empty when all went).
   */
  async sweep(): Promise<string[]> {
    const problems: string[] = [];
    for (const { pid, label } of this.state.processGroups) {
      for (const signal of ["SIGCONT", "SIGKILL"] as const) {
        try {
          process.kill(-pid, signal);
        } catch {}
      }
      if (!(await gone(pid))) problems.push(`${label} (pid ${pid}) did not exit`);
    }
    for (const file of this.state.pidFiles) {
      const pid = await serverOf(file);
      if (pid === undefined) continue;
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
      if (!(await gone(pid))) problems.push(`the server of ${file} (pid ${pid}) did not exit`);
    }
    for (const mount of this.state.mounts) {
      try {
        await run("umount", [mount]);
      } catch {
        // Something still holds a file open there: detach it now, the kernel frees it when released.
        await run("umount", ["-l", mount]).catch((error: Error) =>
          problems.push(`could not unmount ${mount}: ${error.message}`),
        );
      }
    }
    for (const dir of this.state.dirs) {
      await rm(dir, { recursive: true, force: true }).catch((error: Error) =>
        problems.push(`could not remove ${dir}: ${error.message}`),
      );
    }
    if (this.janitorPid !== undefined) {
      try {
        process.kill(this.janitorPid, "SIGKILL");
      } catch {}
    }
    return problems;
  }
}

/**
 * The pid a pid file names, if that process still runs with the file's folder on its command line (a file left by
 * a killed server may name a pid the system has given to another process since).
 */
async function serverOf(pidFile: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
    const command = await readFile(`/proc/${pid}/cmdline`, "utf8");
    return command.includes(dirname(pidFile)) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Waits (up to 5 s) for a process to be gone. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
