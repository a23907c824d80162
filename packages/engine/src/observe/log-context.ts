import { AsyncLocalStorage } from "node:async_hooks";

/** What every log line written while serving a request or running a task carries. Ids only, never secrets. */
export interface LogFields {
  requestId?: string;
  accountId?: string;
  jobId?: string;
  deliveryId?: string;
}

const storage = new AsyncLocalStorage<LogFields>();

/** Runs `work` with these fields (over the ones already in force) on every log line it writes. */
export function withLogFields<T>(fields: LogFields, work: () => T): T {
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
