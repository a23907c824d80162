/**
 * Whether a request comes from our own pages: its Origin header is the public URL's origin (MME_PUBLIC_URL), or
 * the origin the request was addressed to. Another site's page cannot send either: the browser writes Origin
 * itself. (A rebound DNS name would match the second, but the browser does not send our cookie to that name.)
 */
export function isOwnOrigin(request: Request, publicUrl?: string): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return false;
  if (publicUrl && origin === new URL(publicUrl).origin) return true;
  return origin === new URL(request.url).origin;
}

/** GET, HEAD and OPTIONS change nothing, so they need no origin check. */
export function changesState(method: string): boolean {
  return !["GET", "HEAD", "OPTIONS"].includes(method);
}
