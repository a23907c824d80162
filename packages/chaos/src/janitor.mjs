// The chaos run's janitor: a detached process that outlives the harness. When the harness is gone (kill -9, a
// crash, a test runner that stopped it) or its time is long past, it ends what the harness started, unmounts its
// tmpfs and removes its temp folder, from the state file the harness keeps up to date. Plain JavaScript so it
// starts at once and needs nothing installed.
//
//   node janitor.mjs <harness pid> <state file> <lifetime ms>
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";

const [harnessPid, stateFile, lifetimeMs] = [
  Number(process.argv[2]),
  process.argv[3],
  Number(process.argv[4]),
];
process.on("SIGINT", () => {});
process.on("SIGHUP", () => {});

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
};

function sweep() {
  let state;
  try {
    state = JSON.parse(readFileSync(stateFile, "utf8"));
  } catch {
    return; // the harness cleaned up itself
  }
  for (const { pid } of state.processGroups) {
    for (const signal of ["SIGCONT", "SIGKILL"]) {
      try {
        process.kill(-pid, signal);
      } catch {}
    }
  }
  // A server that writes its pid to a file (Postgres's postmaster.pid, first line) and may run outside our groups;
  // killed only if that pid still runs with the file's folder on its command line (a stale file names another).
  for (const file of state.pidFiles) {
    try {
      const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dirname(file))) process.kill(pid, "SIGKILL");
    } catch {}
  }
  for (const mount of state.mounts) {
    try {
      execFileSync("umount", ["-l", mount], { stdio: "ignore" });
    } catch {}
  }
  for (const dir of state.dirs) rmSync(dir, { recursive: true, force: true });
}

const ends = Date.now() + lifetimeMs;
const timer = setInterval(() => {
  if (alive(harnessPid) && Date.now() < ends) return;
  clearInterval(timer);
  sweep();
}, 500);
