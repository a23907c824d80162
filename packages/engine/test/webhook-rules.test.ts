import { expect, test } from "vitest";
import { isForbiddenAddress } from "../src/webhooks/address-guard";
import { DEFAULT_RETRY_SCHEDULE_MS, nextDelayMs } from "../src/webhooks/schedule";

test("private, loopback, link-local, metadata and reserved addresses are forbidden; public ones are not", () => {
  for (const address of [
    "127.0.0.1",
    "10.0.0.1",
    "172.31.255.255",
    "192.168.0.10",
    "169.254.169.254",
    "100.100.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fd00:ec2::254",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "64:ff9b::a9fe:a9fe",
    "not an address",
  ]) {
    expect([address, isForbiddenAddress(address)]).toEqual([address, true]);
  }
  for (const address of [
    "93.184.216.34",
    "8.8.8.8",
    "172.32.0.1",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
  ]) {
    expect([address, isForbiddenAddress(address)]).toEqual([address, false]);
  }
});

test("the schedule: Svix's waits with up to 10% jitter, Retry-After honoured, then no more", () => {
  const none = () => 0;
  const most = () => 1;
  expect(
    DEFAULT_RETRY_SCHEDULE_MS.map((_, i) => nextDelayMs(DEFAULT_RETRY_SCHEDULE_MS, i, null, none)),
  ).toEqual([0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
  expect(nextDelayMs(DEFAULT_RETRY_SCHEDULE_MS, 1, null, most)).toBe(5_500);
  expect(nextDelayMs(DEFAULT_RETRY_SCHEDULE_MS, 8, null)).toBeNull();
  expect(nextDelayMs(DEFAULT_RETRY_SCHEDULE_MS, 1, 60_000, none)).toBe(60_000);
  expect(nextDelayMs(DEFAULT_RETRY_SCHEDULE_MS, 2, 1_000, none)).toBe(300_000);
  expect(nextDelayMs(DEFAULT_RETRY_SCHEDULE_MS, 1, 7 * 24 * 3600_000, none)).toBe(36_000_000);
});
