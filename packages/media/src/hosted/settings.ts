/** Which hosted providers this server may call, from the environment; a provider without its key stays off. */
export interface HostedSettings {
  openai?: { apiKey: string; baseUrl?: string; imageModel?: string; speechModel?: string };
  fal?: { apiKey: string; baseUrl?: string };
  stability?: { apiKey: string; baseUrl?: string };
  /** A self-hosted AUTOMATIC1111 web UI serving stable-diffusion when Stability is not configured. */
  automatic1111?: { baseUrl: string; auth?: { username: string; password: string } };
  elevenlabs?: { apiKey: string; baseUrl?: string };
  /** Requests in flight at once per provider (default 4). */
  concurrency?: Partial<Record<HostedProvider, number>>;
  /**
   * The longest call to each provider, in ms, over its adapter's default: one HTTP exchange, or for fal the wait
   * for the result (by default 5 minutes for an image, 15 for a clip).
   */
  timeouts?: Partial<Record<HostedProvider, number>>;
  /** One bound for every HTTP exchange with any provider, over all the above: shortened by tests. */
  timeoutMs?: number;
  pollIntervalMs?: number;
}

export type HostedProvider = "openai" | "fal" | "stability" | "automatic1111" | "elevenlabs";
