import { MIN_PASSWORD_LENGTH } from "@mcpmediaengine/contract";
import { hash, verify } from "@node-rs/argon2";

// OWASP's Argon2id floor (19 MiB, 2 passes, 1 lane): about 75 ms on one core here, off the event loop (libuv's
// threads). Algorithm 2 is Argon2id (the package's enum is a const enum, which this build cannot import).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Whether the password matches the stored hash; a malformed hash matches nothing. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  return verify(stored, password).catch(() => false);
}

// Checked against when the email is unknown, so a wrong email takes as long as a wrong password.
let decoy: Promise<string> | undefined;
export async function verifyDecoy(password: string): Promise<void> {
  decoy ??= hashPassword("a password nobody has, hashed once");
  await verifyPassword(await decoy, password);
}

// The most common choices that the length rule lets through; the full breach lists are too large to ship.
const COMMON = new Set([
  "1234567890",
  "12345678910",
  "123456789012",
  "0123456789",
  "1111111111",
  "0000000000",
  "qwertyuiop",
  "qwertyuiop123",
  "asdfghjkl1",
  "1q2w3e4r5t",
  "1q2w3e4r5t6y",
  "password12",
  "password123",
  "password1234",
  "passw0rd123",
  "iloveyou123",
  "letmein123",
  "welcome123",
  "changeme123",
  "administrator",
  "football123",
  "baseball123",
  "superman123",
  "trustno1trustno1",
  "abcdefghij",
  "abc1234567",
  "qazwsxedcrfv",
]);

/** Why a password is too weak to accept, or undefined when it will do. */
export function passwordWeakness(password: string, email: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH)
    return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  const lower = password.toLowerCase();
  if (new Set(lower).size < 4) return "The password repeats too few characters.";
  if (COMMON.has(lower)) return "The password is one of the most common ones.";
  const local = email.split("@")[0] ?? "";
  if (lower === email || (local.length >= 4 && lower.includes(local)))
    return "The password must not contain the email address.";
  return undefined;
}
