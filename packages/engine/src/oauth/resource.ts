/**
 * A resource indicator (RFC 8707) in canonical form, for comparison: scheme and host lower-cased (URL does it),
 * no trailing slash, no fragment. Undefined when it is not an absolute URL or carries a fragment.
 */
export function canonicalResource(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.hash || raw.includes("#")) return undefined;
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.origin}${path}${url.search}`;
}
