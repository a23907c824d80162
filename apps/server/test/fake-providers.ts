import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ffmpegPath } from "@mcpmediaengine/media";
import { checkRequest, providerOperations } from "@mcpmediaengine/media/provider-check";

type Handler = (request: IncomingMessage, body: Buffer, response: ServerResponse) => void | Promise<void>;

/**
 * One HTTP server that speaks the providers' protocols as far as these tests need them (each adapter's own
 * tests cover every error shape): OpenAI images, fal's queue, an AUTOMATIC1111 web UI. `set` replaces a route's
 * behaviour; `inFlight` tracks concurrent requests per route prefix. Every request is checked against the
 * providers' definitions (@mcpmediaengine/media/provider-check); `close` fails when one broke them.
 */
export class FakeProviders {
  url = "";
  readonly seen: { method: string; path: string; headers: IncomingMessage["headers"] }[] = [];
  /** How received requests break their provider's definition, one line each. */
  readonly problems: string[] = [];
  private readonly routes = new Map<string, Handler>();
  readonly maxInFlight = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private readonly server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url!, "http://x");
    const path = url.pathname;
    this.seen.push({ method: request.method!, path, headers: request.headers });
    const sent = { method: request.method!, url, headers: request.headers, body: Buffer.concat(chunks) };
    this.problems.push(
      ...(await checkRequest(providerOperations(), sent).catch((error: Error) => [
        `the check failed: ${error.message}`,
      ])),
    );
    const key = `${request.method} ${path}`;
    const route = [...this.routes.entries()].find(([prefix]) => key.startsWith(prefix));
    if (!route) {
      response.writeHead(404, { "content-type": "application/json" }).end('{"error":"no route"}');
      return;
    }
    const [prefix, handler] = route;
    const now = (this.inFlight.get(prefix) ?? 0) + 1;
    this.inFlight.set(prefix, now);
    this.maxInFlight.set(prefix, Math.max(now, this.maxInFlight.get(prefix) ?? 0));
    try {
      await handler(request, Buffer.concat(chunks), response);
    } finally {
      this.inFlight.set(prefix, (this.inFlight.get(prefix) ?? 1) - 1);
    }
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  set(route: string, handler: Handler): void {
    this.routes.set(route, handler);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.problems.length > 0) {
      throw new Error(
        `the providers' definitions refuse what the fakes received:\n${this.problems.map((p) => `- ${p}`).join("\n")}`,
      );
    }
  }
}

export function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

/** A real PNG of one colour, as a provider would return it. */
export function png(width: number, height: number, colour = "0x3366cc"): Buffer {
  return execFileSync(
    ffmpegPath(),
    [
      ...["-v", "error", "-f", "lavfi", "-i", `color=c=${colour}:s=${width}x${height}`],
      ...["-frames:v", "1", "-f", "image2", "-c:v", "png", "pipe:1"],
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
}

/** A real MP4 (a test pattern, no sound, its index first), as a hosted video model would return it. */
export function mp4(seconds: number): Buffer {
  const path = join(mkdtempSync(join(tmpdir(), "mme-fake-clip-")), "clip.mp4");
  execFileSync(ffmpegPath(), [
    ...["-v", "error", "-f", "lavfi", "-i", `testsrc=size=640x360:rate=24:duration=${seconds}`],
    ...["-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4", path],
  ]);
  return readFileSync(path);
}

/** A real MP3 (a tone, mono), as a hosted speech model would return it. */
export function mp3(seconds: number): Buffer {
  return execFileSync(
    ffmpegPath(),
    [
      ...["-v", "error", "-f", "lavfi", "-i", `sine=frequency=440:sample_rate=44100:duration=${seconds}`],
      ...["-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3", "pipe:1"],
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
}
