import { describe, expect, test } from "vitest";
import { hashPassword, passwordWeakness, verifyPassword } from "./password";

describe("passwordWeakness", () => {
  test.each([
    ["short", "Sh0rt!pw", /at least 10/],
    ["one character repeated", "aaaaaaaaaaaa", /too few/],
    ["two characters alternating", "abababababab", /too few/],
    ["a common one", "Password123", /most common/],
    ["the email's name inside", "xx-jane.doe-2026", /email/],
  ])("refuses %s", (_name, password, reason) => {
    expect(passwordWeakness(password, "jane.doe@example.com")).toMatch(reason);
  });

  test("accepts a long, varied password; counts characters, not UTF-16 units", () => {
    expect(passwordWeakness("correct horse battery staple", "jane@example.com")).toBeUndefined();
    // Five emoji are ten UTF-16 units but five characters.
    expect(passwordWeakness("🐴🔋📎🐎🔌", "jane@example.com")).toMatch(/at least 10/);
  });
});

test("an Argon2id hash verifies its password and nothing else", async () => {
  const stored = await hashPassword("correct horse battery staple");
  expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  expect(await verifyPassword(stored, "correct horse battery staple")).toBe(true);
  expect(await verifyPassword(stored, "correct horse battery stapler")).toBe(false);
  expect(await verifyPassword("not a hash", "anything")).toBe(false);
});
