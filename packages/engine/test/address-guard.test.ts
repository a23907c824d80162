import { expect, test } from "vitest";
import { isForbiddenAddress, resolveWebhookTarget } from "../src/webhooks/address-guard";

// Issue 15: four IPv6 forms that carry a loopback or private IPv4 were accepted, and site-local and NAT64's
// local-use prefix with them.
const FORBIDDEN = [
  // IPv4-compatible, in both spellings
  "::127.0.0.1",
  "::7f00:1",
  "::10.0.0.1",
  "::a9fe:a9fe",
  // IPv4-translated (RFC 6145)
  "::ffff:0:7f00:1",
  "::ffff:0:127.0.0.1",
  "::ffff:0:c0a8:101",
  // 6to4 (RFC 3056) of loopback, private and metadata addresses
  "2002:7f00:1::",
  "2002:7f00:1::1",
  "2002:a00:1::",
  "2002:a9fe:a9fe::1",
  // site-local (deprecated, fec0::/10)
  "fec0::1",
  "feff:ffff::1",
  // NAT64 well-known prefix with a private IPv4, and NAT64's local-use prefix
  "64:ff9b::7f00:1",
  "64:ff9b::10.1.2.3",
  "64:ff9b::192.168.0.1",
  "64:ff9b:1::a00:1",
  "64:ff9b:1:ffff::8.8.8.8",
  // Teredo whose client (inverted in the last 32 bits) is loopback
  "2001:0:4136:e378:8000:63bf:80ff:fffe",
  // Others ipaddr.js lists as special-purpose
  "100::1",
  "3fff::1",
  "2001:2::1",
  "ff02::1",
];
const ALLOWED = [
  "93.184.216.34",
  "8.8.8.8",
  "2606:4700:4700::1111",
  "2a00:1450:4001:82b::200e",
  "::ffff:8.8.8.8",
  "::ffff:0:8.8.8.8",
  "64:ff9b::8.8.8.8",
  "2002:808:808::1",
  // Teredo whose client is 8.8.8.8
  "2001:0:4136:e378:8000:63bf:f7f7:f7f7",
];

test.each(FORBIDDEN)("%s is forbidden", (address) => {
  expect(isForbiddenAddress(address)).toBe(true);
});

test.each(ALLOWED)("%s is allowed", (address) => {
  expect(isForbiddenAddress(address)).toBe(false);
});

test("what is not an IP address is forbidden, whatever a lenient parser might make of it", () => {
  for (const address of ["not an address", "0x7f000001", "2130706433", "127.1", "", "::ffff:127.0.0.1.1"]) {
    expect([address, isForbiddenAddress(address)]).toEqual([address, true]);
  }
});

test("a webhook URL whose host is one of these forms is refused, as the URL parser writes it", async () => {
  for (const host of [
    "[::127.0.0.1]",
    "[::ffff:0:7f00:1]",
    "[2002:7f00:1::]",
    "[fec0::1]",
    "[64:ff9b::a00:1]",
  ]) {
    await expect(resolveWebhookTarget(`http://${host}/hook`, false)).rejects.toMatchObject({
      code: "invalid_webhook_url",
    });
    // Unless the operator allows private targets.
    await expect(resolveWebhookTarget(`http://${host}/hook`, true)).resolves.toMatchObject({ family: 6 });
  }
});
