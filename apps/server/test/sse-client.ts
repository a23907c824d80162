export interface SseEvent {
  id?: string;
  event: string;
  data: Record<string, unknown> & { event: string; jobId: string; seq: number };
}

export interface SseStream {
  status: number;
  events: SseEvent[];
  /** Resolves when the server closes the stream (or the client does). */
  ended: Promise<void>;
  /** True once the server closed the stream by itself. */
  readonly closedByServer: boolean;
  close(): void;
}

/** Opens a Server-Sent Events URL with fetch and collects its events as the SSE rules read them. */
export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { accept: "text/event-stream", ...headers },
    signal: abort.signal,
  });
  let closedByServer = false;
  const stream: SseStream = {
    status: response.status,
    events: [],
    ended: Promise.resolve(),
    get closedByServer() {
      return closedByServer;
    },
    close: () => abort.abort(),
  };
  if (response.status !== 200 || !response.body) {
    await response.body?.cancel();
    closedByServer = true;
    return stream;
  }
  stream.ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let cut = buffer.indexOf("\n\n");
        while (cut >= 0) {
          const lines = buffer.slice(0, cut).split("\n");
          buffer = buffer.slice(cut + 2);
          const field = (name: string) =>
            lines.filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).trimStart());
          const data = field("data").join("\n");
          if (data) {
            stream.events.push({
              id: field("id")[0],
              event: field("event")[0] ?? "message",
              data: JSON.parse(data),
            });
          }
          cut = buffer.indexOf("\n\n");
        }
      }
      closedByServer = true;
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
  })();
  return stream;
}
