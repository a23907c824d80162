import { appRouter } from "../trpc/router";
import { buildOpenApiDocument } from "./openapi";

interface Pattern {
  method: string;
  regex: RegExp;
  route: string;
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

// The routes the app serves outside REST and tRPC; `{name}` is a path segment.
const OTHER_ROUTES: [method: string, route: string][] = [
  ["GET", "/healthz"],
  ["POST", "/billing/stripe/webhook"],
  ["GET", "/metrics"],
  ["GET", "/openapi.json"],
  ["GET", "/docs"],
  ["GET", "/docs/static/{name}"],
  ["GET", "/assets/{file}"],
  ["GET", "/mcp"],
  ["POST", "/mcp"],
  ["DELETE", "/mcp"],
  ["GET", "/mcp/server-card"],
  ["GET", "/sse"],
  ["POST", "/messages"],
  ["GET", "/.well-known/oauth-protected-resource"],
  ["GET", "/.well-known/oauth-protected-resource/mcp"],
  ["GET", "/.well-known/oauth-protected-resource/sse"],
  ["GET", "/.well-known/oauth-authorization-server"],
  ["GET", "/.well-known/mcp/server-card.json"],
  ["GET", "/.well-known/ai-catalog.json"],
  ["GET", "/oauth/authorize"],
  ["POST", "/oauth/authorize"],
  ["GET", "/oauth/consent.css"],
  ["POST", "/oauth/token"],
  ["POST", "/oauth/revoke"],
  ["POST", "/oauth/register"],
];

/**
 * What a request is labeled with in metrics, logs and spans: its method and the route pattern it matched
 * (`/v1/jobs/{jobId}`, `/trpc/jobs.get`), never the raw path, so no id reaches a label and the label values stay
 * a closed set whatever clients send. REST routes come from the OpenAPI document; anything unknown is
 * `unmatched`, and an unknown method `OTHER`.
 */
export class RouteLabels {
  private readonly patterns: Pattern[];
  private readonly procedures: Set<string>;

  constructor() {
    const rest = Object.entries(buildOpenApiDocument("http://localhost").paths ?? {}).flatMap(
      ([path, item]) =>
        Object.keys(item as object).map((method) => [method.toUpperCase(), `/v1${path}`] as [string, string]),
    );
    // A literal segment beats a parameter (`/v1/jobs/estimate` before `/v1/jobs/{jobId}`).
    this.patterns = [...rest, ...OTHER_ROUTES]
      .map(([method, route]) => ({ method, route, regex: toRegex(route) }))
      .sort((a, b) => params(a.route) - params(b.route));
    this.procedures = new Set(Object.keys(appRouter._def.procedures as object));
  }

  method(method: string): string {
    return METHODS.has(method) ? method : "OTHER";
  }

  route(method: string, path: string): string {
    if (path.startsWith("/trpc/")) {
      const names = path.slice("/trpc/".length).split(",");
      if (names.length === 1 && this.procedures.has(names[0]!)) return path;
      return names.every((n) => this.procedures.has(n)) ? "/trpc/{batch}" : "unmatched";
    }
    const head = method === "HEAD" ? "GET" : method;
    return this.patterns.find((p) => p.method === head && p.regex.test(path))?.route ?? "unmatched";
  }
}

function toRegex(route: string): RegExp {
  const escaped = route.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+");
  return new RegExp(`^${escaped}/?$`);
}

function params(route: string): number {
  return route.split("{").length - 1;
}
