import { describe, expect, test } from "vitest";
import { ApiKeyCache } from "../src/auth/key-cache";

const alice = {
  accountId: "acc_a",
  keyId: "key_a",
  limits: { requestsPerMinute: 30, concurrentJobs: 1, maxBatchSize: 10 },
};

describe("ApiKeyCache", () => {
  test("caches nothing until enabled, and empties when disabled", () => {
    const cache = new ApiKeyCache();
    cache.set("h", alice, cache.ticket());
    expect(cache.get("h")).toBeUndefined();
    cache.enable();
    cache.set("h", alice, cache.ticket());
    expect(cache.get("h")).toEqual(alice);
    cache.disable();
    expect(cache.get("h")).toBeUndefined();
    cache.enable();
    expect(cache.get("h")).toBeUndefined();
  });

  test("a lookup that raced a change does not cache what it read", () => {
    const cache = new ApiKeyCache();
    cache.enable();
    const ticket = cache.ticket();
    cache.delete("h"); // the key changed while the database was being read
    cache.set("h", alice, ticket);
    expect(cache.get("h")).toBeUndefined();
  });

  test("entries expire, and the oldest goes first when full", () => {
    const cache = new ApiKeyCache(1000, 2);
    cache.enable();
    cache.set("a", alice, cache.ticket(), 0);
    cache.set("b", alice, cache.ticket(), 0);
    cache.set("c", alice, cache.ticket(), 0);
    expect(cache.get("a", 10)).toBeUndefined();
    expect(cache.get("b", 10)).toEqual(alice);
    expect(cache.get("b", 1000)).toBeUndefined();
  });
});
