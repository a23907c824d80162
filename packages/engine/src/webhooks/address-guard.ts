import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { AppError } from "@mcpmediaengine/contract";

// Where a webhook must never go unless the operator allows it: this host, private networks, link-local (with the
// cloud metadata services at 169.254.169.254 and fd00:ec2::254), carrier-grade NAT, multicast and reserved space.
const forbidden = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  forbidden.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
] as const) {
  forbidden.addSubnet(net, prefix, "ipv6");
}

/** True for an address a webhook may not reach; IPv4 inside IPv6 (mapped, NAT64) is judged as IPv4. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return forbidden.check(address, "ipv4");
  if (family !== 6) return true;
  const embedded = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (embedded) return forbidden.check(embedded, "ipv4");
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [high, low] = [Number.parseInt(hex[1]!, 16), Number.parseInt(hex[2]!, 16)];
    return forbidden.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, "ipv4");
  }
  return forbidden.check(address, "ipv6");
}

export interface WebhookTarget {
  url: URL;
  /** The address to connect to: the one checked, so a second DNS answer cannot send the request elsewhere. */
  address: string;
  family: 4 | 6;
}

/**
 * Resolves a webhook URL and checks where it leads: only http and https, and (unless private targets are allowed)
 * no address of the host may be loopback, private, link-local or metadata. Throws 400 `invalid_webhook_url`.
 */
export async function resolveWebhookTarget(raw: string, allowPrivate: boolean): Promise<WebhookTarget> {
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

function refused(url: string, why: string): AppError {
  return new AppError("invalid_webhook_url", `The webhook URL ${url.slice(0, 200)} is refused: ${why}.`);
}
