import { AsyncLocalStorage } from "node:async_hooks";

/** One HTTP exchange with a provider, as the engine counts it: its status, or why there was none. */
export interface ProviderCall {
  status?: number;
  failure?: "timeout" | "network_error" | "aborted";
  seconds: number;
  /** The provider's id of the request, from its response headers (x-request-id, request-id, …), when it sent one. */
  requestId?: string;
  /** The provider's host, for a job's log. */
  host?: string;
}

export type ProviderCallObserver = (call: ProviderCall) => void;

const observers = new AsyncLocalStorage<ProviderCallObserver>();

/**
 * Runs `work` (a generator's run) with every provider request it makes reported to `observer`. Scoped to the
 * run's async context, so each engine of a process counts its own runs' requests and no adapter passes it along.
 */
export function observeProviderCalls<T>(observer: ProviderCallObserver, work: () => T): T {
  return observers.run(observer, work);
}

export function reportProviderCall(call: ProviderCall): void {
  observers.getStore()?.(call);
}
