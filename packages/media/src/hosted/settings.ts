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
  /** Timeouts and polling, shortened by tests. */
  timeoutMs?: number;
  pollIntervalMs?: number;
}

export type HostedProvider = "openai" | "fal" | "stability" | "automatic1111" | "elevenlabs";
