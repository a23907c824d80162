import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { AppError } from "@mcpmediaengine/contract";
import ipaddr from "ipaddr.js";

// Where a webhook must never go unless the operator allows it: this host, private networks, link-local (with the
// cloud metadata services at 169.254.169.254 and fd00:ec2::254), carrier-grade NAT, multicast and every reserved,
// documentation or special-purpose range ipaddr.js knows. Only plain unicast addresses pass; ipaddr.js keeps the
// list of ranges, so a new special-purpose block comes with an update of it.
function isForbiddenIPv4(address: ipaddr.IPv4): boolean {
  return address.range() !== "unicast";
}

const LOCAL_USE_NAT64 = ipaddr.IPv6.parseCIDR("64:ff9b:1::/48");

const ipv4 = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 255, low >> 8, low & 255]);

/**
 * The IPv4 address an IPv6 address carries, for the forms that lead to it: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-translated (::ffff:0:a.b.c.d), IPv4-compatible (::a.b.c.d, deprecated but still routed by some stacks),
 * NAT64's well-known prefix (64:ff9b::/96), 6to4 (2002:aabb:ccdd::/48) and Teredo (the client's address, stored
 * inverted in the last 32 bits).
 */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = address.parts as number[];
  const zero = (from: number, to: number) => p.slice(from, to).every((part) => part === 0);
  const last32 = () => ipv4(p[6]!, p[7]!);
  if (zero(0, 5) && p[5] === 0xffff) return last32();
  if (zero(0, 4) && p[4] === 0xffff && p[5] === 0) return last32();
  if (zero(0, 6)) return last32();
  if (p[0] === 0x64 && p[1] === 0xff9b && zero(2, 6)) return last32();
  const range = address.range();
  if (range === "6to4") return ipv4(p[1]!, p[2]!);
  if (range === "teredo") return ipv4(p[6]! ^ 0xffff, p[7]! ^ 0xffff);
  return undefined;
}

/**
 * True for an address a webhook may not reach. IPv4 carried inside IPv6 (mapped, translated, compatible, NAT64,
 * 6to4, Teredo) is judged as that IPv4. NAT64's local-use prefix 64:ff9b:1::/48 is refused whole: where it carries
 * the IPv4 address depends on the operator's prefix length, so it cannot be read.
 */
export function isForbiddenAddress(address: string): boolean {
  if (isIP(address) === 0) return true;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv4") return isForbiddenIPv4(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded) return isForbiddenIPv4(embedded);
  if (v6.match(LOCAL_USE_NAT64)) return true;
  return v6.range() !== "unicast";
}

export interface WebhookTarget {
  url: URL;
  /** The address to connect to: the one checked, so a second DNS answer cannot send the request elsewhere. */
  address: string;
  family: 4 | 6;
}

/**
 * Resolves a webhook URL and checks where it leads: only http and https, and (unless private targets are allowed)
 * no address of the host may be loopback, private, link-local or metadata. Throws 400 `invalid_webhook_url`, or
 * what `refused` makes (the same guard checks the image URLs a job or an upload names).
 */
export async function resolveWebhookTarget(
  raw: string,
  allowPrivate: boolean,
  refused: (url: string, why: string) => AppError = refusedWebhook,
): Promise<WebhookTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused(raw, "it is not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw refused(raw, "only http and https are sent to");
  if (url.username || url.password) throw refused(raw, "credentials in the URL are not allowed");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: { address: string; family: number }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw refused(raw, `the host ${host} does not resolve`);
    }
  }
  if (addresses.length === 0) throw refused(raw, `the host ${host} does not resolve`);
  if (!allowPrivate) {
    const bad = addresses.find((a) => isForbiddenAddress(a.address));
    if (bad) throw refused(raw, `${host} resolves to ${bad.address}, a private or reserved address`);
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

function refusedWebhook(url: string, why: string): AppError {
  return new AppError("invalid_webhook_url", `The webhook URL ${url.slice(0, 200)} is refused: ${why}.`);
}
