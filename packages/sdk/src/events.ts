import type { JobEvent } from "@mcpmediaengine/contract";

/** One Server-Sent Event as the SSE rules read it. */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * Reads a text/event-stream body (a fetch Response's ReadableStream, in any runtime) event by event. Comment lines
 * are skipped; an event's `id` is the last id seen, as EventSource keeps it.
 */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let lastId: string | undefined;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let cut = buffer.indexOf("\n\n");
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        cut = buffer.indexOf("\n\n");
        let event = "message";
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line === "" || line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "id") lastId = text;
          else if (field === "event") event = text;
          else if (field === "data") data.push(text);
        }
        if (data.length > 0) yield { id: lastId, event, data: data.join("\n") };
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

export interface StreamOptions {
  signal?: AbortSignal;
  /** Resume after this event id (the `id` of an event received before). */
  lastEventId?: string;
  /** Reconnections (with Last-Event-ID) after a dropped connection before giving up. Default 5. */
  maxReconnects?: number;
}

interface FollowOptions extends StreamOptions {
  /** The event after which nothing more comes (a job's `job` event): the iteration ends there. */
  last?: (event: JobEvent) => boolean;
}

/** A JobEvent with the SSE id it came with: pass it as lastEventId to resume after it. */
export type StreamedJobEvent = JobEvent & { id?: string };

/**
 * Follows an event stream to its end, reconnecting with Last-Event-ID when the connection drops (the engine then
 * sends what came after, so nothing is missed). `open` makes one connection: undefined when the engine answers
 * 204 (nothing more will come).
 */
export async function* followStream(
  open: (lastEventId: string | undefined) => Promise<ReadableStream<Uint8Array> | undefined>,
  options: FollowOptions,
): AsyncGenerator<StreamedJobEvent> {
  let lastEventId = options.lastEventId;
  let reconnects = 0;
  for (;;) {
    let body: ReadableStream<Uint8Array> | undefined;
    try {
      body = await open(lastEventId);
    } catch (error) {
      if (options.signal?.aborted || reconnects >= (options.maxReconnects ?? 5) || lastEventId === undefined)
        throw error;
      reconnects++;
      await pause(Math.min(500 * 2 ** reconnects, 8000), options.signal);
      continue;
    }
    if (!body) return;
    let received = false;
    try {
      for await (const message of readSse(body)) {
        received = true;
        reconnects = 0;
        if (message.id !== undefined) lastEventId = message.id;
        const event = JSON.parse(message.data) as JobEvent;
        yield { ...event, id: message.id };
        if (options.last?.(event)) return;
      }
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      if (reconnects >= (options.maxReconnects ?? 5)) throw error;
      reconnects++;
      continue;
    }
    // Closed without its last event (a batch's stream ends so; a proxy may cut one): a resume answers 204 when
    // nothing more will come. A connection that brought nothing counts against the reconnections.
    if (!received && ++reconnects > (options.maxReconnects ?? 5)) {
      throw new Error("The event stream keeps closing without sending anything.");
    }
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
