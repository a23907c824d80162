import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/**
 * Where the web console's build is: beside the bundled CLI (`dist/web`, copied there by tsup), else apps/web/dist
 * in the repository (built by `pnpm start` and by turbo before the tests).
 */
export function findConsoleDir(preferred?: string): string | undefined {
  const candidates = preferred
    ? [preferred]
    : [new URL("./web", import.meta.url), new URL("../../../web/dist", import.meta.url)].map((u) =>
        fileURLToPath(u),
      );
  return candidates.find((dir) => existsSync(join(dir, "index.html")));
}

// Paths the console never answers, even when nothing else did: the API's own 404 stays JSON.
const RESERVED =
  /^\/(v1|trpc|mcp|sse|messages|oauth|\.well-known|auth|billing|assets|docs|openapi\.json|healthz|readyz|metrics)(\/|$)/;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

interface CachedFile {
  body: Buffer;
  type: string;
  /** The body gzipped once, for the text types (scripts, styles, the page). */
  gzip?: Buffer;
}

const COMPRESSED = /^(text\/|application\/json|image\/svg)/;

/**
 * Serves the console: its files, and index.html for any other GET outside the API (a client route such as
 * /jobs/job_…, which the app's router resolves). Files under /_app/ carry a content hash in their name and are
 * cached for good; index.html is revalidated, so a new build shows on the next load.
 */
export function createConsoleHandler(options: { dir: string | undefined; headers: Record<string, string> }) {
  const dir = options.dir === undefined ? undefined : normalize(options.dir).replace(/[/\\]+$/, "");
  const cache = new Map<string, CachedFile>();
  const read = async (path: string): Promise<CachedFile | undefined> => {
    const hit = cache.get(path);
    if (hit) return hit;
    const body = await readFile(path).catch(() => undefined);
    if (!body) return undefined;
    const type = TYPES[extname(path)] ?? "application/octet-stream";
    const file: CachedFile = {
      body,
      type,
      gzip: COMPRESSED.test(type) ? gzipSync(body, { level: 9 }) : undefined,
    };
    cache.set(path, file);
    return file;
  };

  return async (request: Request): Promise<Response | undefined> => {
    if (request.method !== "GET" && request.method !== "HEAD") return undefined;
    const { pathname } = new URL(request.url);
    if (RESERVED.test(pathname)) return undefined;
    if (!dir) {
      return new Response(
        "The web console is not built here. Run `pnpm start` (which builds it) or `pnpm --filter @mcpmediaengine/web build`.\n",
        { status: 404, headers: { "content-type": "text/plain; charset=utf-8", ...options.headers } },
      );
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    const candidate = normalize(join(dir, decoded));
    if (!candidate.startsWith(dir + sep) || decoded.includes("\0")) return undefined;
    const asFile = extname(decoded) !== "" ? await read(candidate) : undefined;
    // A missing file with an extension (a stale /_app/ chunk, /robots.txt) is a 404, not the app.
    if (!asFile && extname(decoded) !== "") return undefined;
    const file = asFile ?? (await read(join(dir, "index.html")));
    if (!file) return undefined;
    const immutable = asFile && decoded.startsWith("/_app/");
    const gzip =
      file.gzip && /\bgzip\b/.test(request.headers.get("accept-encoding") ?? "") ? file.gzip : undefined;
    const body = gzip ?? file.body;
    return new Response(request.method === "HEAD" ? null : new Uint8Array(body), {
      headers: {
        "content-type": file.type,
        "content-length": String(body.length),
        ...(gzip && { "content-encoding": "gzip" }),
        ...(file.gzip && { vary: "accept-encoding" }),
        "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
        ...options.headers,
      },
    });
  };
}
