import { AsyncLocalStorage } from "node:async_hooks";

/** What every log line written while serving a request or running a task carries. Ids only, never secrets. */
export interface LogFields {
  requestId?: string;
  accountId?: string;
  jobId?: string;
  deliveryId?: string;
}

const storage = new AsyncLocalStorage<LogFields>();
// Off until a log that writes lines exists (createLog below "silent"): in Node 20 an AsyncLocalStorage in use
// costs every promise of the process a little, which a process that logs nothing should not pay.
let enabled = false;

export function enableLogFields(): void {
  enabled = true;
}

/** Runs `work` with these fields (over the ones already in force) on every log line it writes. */
export function withLogFields<T>(fields: LogFields, work: () => T): T {
  if (!enabled) return work();
  return storage.run({ ...storage.getStore(), ...fields }, work);
}

/** Adds fields to the ones in force, for the rest of the current request or task (the account, once known). */
export function addLogFields(fields: LogFields): void {
  const current = storage.getStore();
  if (current) Object.assign(current, fields);
}

export function currentLogFields(): LogFields | undefined {
  return storage.getStore();
}
