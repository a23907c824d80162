/** What every hosted provider's adapter takes. */
export interface HostedProviderConfig {
  apiKey: string;
  /** The provider's real API by default; tests point it at a local fake. */
  baseUrl?: string;
  /** Limit for one HTTP exchange, headers and body. */
  timeoutMs?: number;
  /** Pause between status checks, for providers that queue work. */
  pollIntervalMs?: number;
}
