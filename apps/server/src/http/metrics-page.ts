import { createHash, timingSafeEqual } from "node:crypto";
import { AppError, newId } from "@mcpmediaengine/contract";
import type { EngineMetrics } from "@mcpmediaengine/engine";
import { Hono } from "hono";
import { errorResponse } from "./error-response";

/**
 * GET /metrics: the process's metrics in Prometheus's text format. With a token (MME_METRICS_TOKEN) the request
 * must carry `Authorization: Bearer <token>` (compared in constant time), else 401 `unauthorized`.
 */
export function metricsPage(
  metrics: EngineMetrics,
  token: string | undefined,
): (request: Request, requestId: string) => Promise<Response> {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  const expected = token === undefined ? undefined : digest(token);
  return async (request, requestId) => {
    if (expected) {
      const sent = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
      if (!timingSafeEqual(digest(sent), expected)) {
        return errorResponse(
          new AppError(
            "unauthorized",
            "Send the metrics token as 'Authorization: Bearer <MME_METRICS_TOKEN>'.",
          ),
          requestId,
          { "www-authenticate": 'Bearer realm="metrics"' },
        );
      }
    }
    const page = await metrics.page();
    return new Response(page.body, { headers: { "content-type": page.contentType } });
  };
}

/** The app of MME_METRICS_PORT: GET /metrics, and 404 for anything else. */
export function metricsApp(metrics: EngineMetrics, token: string | undefined): Hono {
  const page = metricsPage(metrics, token);
  const app = new Hono();
  app.get("/metrics", (c) => page(c.req.raw, newId("request")));
  app.notFound(() =>
    errorResponse(new AppError("not_found", "This port serves GET /metrics only."), newId("request")),
  );
  return app;
}
