import type { MiddlewareHandler } from "hono";

export interface SecurityHeaderOptions {
  /**
   * Other origins images, video and audio may load from, such as an object store serving the assets
   * (`https://bucket.s3.example.com`); only our own origin (and blob:/data: URLs the page makes) otherwise.
   */
  mediaOrigins?: readonly string[];
}

/**
 * The Content-Security-Policy of the pages we serve: everything from our own origin only (scripts, styles, fonts,
 * API calls), media also from blob: and data: URLs (previews, downloads made in the page), no plugins, no <base>
 * elsewhere, forms only to us, and no framing by anyone (clickjacking).
 */
export function contentSecurityPolicy(options: SecurityHeaderOptions = {}): string {
  const media = ["'self'", "blob:", "data:", ...(options.mediaOrigins ?? [])].join(" ");
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${media}`,
    `media-src ${media}`,
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Every header the console's HTML (and the files it loads) goes out with. */
export function securityHeaderValues(options: SecurityHeaderOptions = {}): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(options),
    "x-content-type-options": "nosniff",
    // Page addresses may carry ids (and asset URLs their signatures): none of it goes to other sites.
    "referrer-policy": "same-origin",
    // For browsers older than frame-ancestors.
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
  };
}

/** Hono middleware setting securityHeaderValues on every response that passes through it. */
export function securityHeaders(options: SecurityHeaderOptions = {}): MiddlewareHandler {
  const values = Object.entries(securityHeaderValues(options));
  return async (c, next) => {
    await next();
    for (const [name, value] of values) c.res.headers.set(name, value);
  };
}
