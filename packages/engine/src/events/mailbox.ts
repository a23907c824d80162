import type { JobEventNote } from "./job-event-source";

/** A stream's inbox: notes as they arrive, a resync flag, and a wait that a note, a timeout or an abort ends. */
export class Mailbox {
  private notes: JobEventNote[] = [];
  private resync = false;
  private wake: (() => void) | undefined;

  push(note: JobEventNote): void {
    this.notes.push(note);
    this.wake?.();
  }

  requestResync(): void {
    this.resync = true;
    this.wake?.();
  }

  /** Takes what arrived; waits up to `ms` (or the abort) for something when nothing has. */
  async take(ms: number, signal?: AbortSignal): Promise<{ notes: JobEventNote[]; resync: boolean }> {
    if (this.notes.length === 0 && !this.resync && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          this.wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, ms);
        this.wake = done;
        signal?.addEventListener("abort", done, { once: true });
      });
    }
    const taken = { notes: this.notes, resync: this.resync };
    this.notes = [];
    this.resync = false;
    return taken;
  }
}
