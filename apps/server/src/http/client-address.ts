import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Addresses (or CIDR ranges) of reverse proxies whose X-Forwarded-For is believed. */
export class TrustedProxies {
  private readonly ranges: Range[];

  /** Each entry an address (1.2.3.4, ::1) or a range (10.0.0.0/8, fd00::/8), as env.ts has checked them. */
  constructor(entries: readonly string[] = []) {
    this.ranges = entries.map((entry) =>
      entry.includes("/") ? ipaddr.parseCIDR(entry) : whole(ipaddr.process(entry)),
    );
  }

  get empty(): boolean {
    return this.ranges.length === 0;
  }

  has(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
    return this.ranges.some(([net, bits]) => net.kind() === address.kind() && address.match(net, bits));
  }
}

const whole = (address: ipaddr.IPv4 | ipaddr.IPv6): Range => [address, address.kind() === "ipv4" ? 32 : 128];

/**
 * Who a request counts against when it has no valid key: the peer of the TCP connection, unless that peer is a
 * trusted proxy; then X-Forwarded-For read from the right, past every trusted proxy, to the first hop that is not
 * one (what a client writes into the header itself is left of that, and never read). An IPv6 client counts as its
 * /64, the block one subscriber gets; an IPv4-mapped address as its IPv4. Without a socket (app.request in tests)
 * every request is one client, "unknown".
 */
export function clientKey(
  remoteAddress: string | undefined,
  forwardedFor: string | undefined,
  trusted: TrustedProxies,
): string {
  const peer = parse(remoteAddress);
  if (!peer) return "unknown";
  let client = peer;
  if (!trusted.empty && trusted.has(peer) && forwardedFor) {
    const hops = forwardedFor.split(",");
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = parse(hops[i]!.trim());
      if (!hop) break;
      client = hop;
      if (!trusted.has(hop)) break;
    }
  }
  if (client.kind() === "ipv4") return client.toString();
  return `${(client as ipaddr.IPv6).parts
    .slice(0, 4)
    .map((p) => p.toString(16))
    .join(":")}::/64`;
}

function parse(address: string | undefined): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  // node's isIP is strict where ipaddr.js is lenient (it reads 127.1 or 0x7f000001 as addresses).
  if (!address || isIP(address) === 0) return undefined;
  return ipaddr.process(address);
}
