import { newId } from "@mcpmediaengine/contract";
import { type EngineMetrics, type Log, withLogFields } from "@mcpmediaengine/engine";
import { trace } from "@opentelemetry/api";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./rate-limit";
import { RouteLabels } from "./route-label";

// Scrapes and health checks come every few seconds: their lines are debug, not info.
const QUIET_ROUTES = new Set(["/metrics", "/healthz", "/readyz"]);

/**
 * The first middleware: gives the request its id (the `x-request-id` answer header, and `requestId` on every log
 * line written while serving it), then counts it in the metrics by route pattern and status, names the HTTP
 * server span after the route when tracing is on, and writes one log line for it.
 */
export function observeRequests(metrics: EngineMetrics, log: Log): MiddlewareHandler<AppEnv> {
  const labels = new RouteLabels();
  return (c, next) => {
    const requestId = newId("request");
    c.set("requestId", requestId);
    return withLogFields({ requestId }, async () => {
      const started = performance.now();
      try {
        await next();
      } finally {
        // An error escaped Hono's handler (it answers 500 itself then): still counted and logged.
        const status = c.res?.status ?? 500;
        c.res?.headers.set("x-request-id", requestId);
        const method = labels.method(c.req.method);
        const route = labels.route(method, c.req.path);
        const seconds = (performance.now() - started) / 1000;
        metrics.httpRequest(method, route, status, seconds);
        const span = trace.getActiveSpan();
        if (span?.isRecording()) {
          span.updateName(`${method} ${route}`);
          span.setAttribute("http.route", route);
        }
        (QUIET_ROUTES.has(route) ? log.debug : log.info)("request", {
          method,
          route,
          status,
          ms: Math.round(seconds * 1000 * 10) / 10,
        });
      }
    });
  };
}
