import sharp from "sharp";
import { expect, test } from "vitest";
import {
  GenerationAbortedError,
  PermanentGenerationError,
  ProviderAccountError,
  type ProviderAccountProblem,
  TransientGenerationError,
} from "../../src/generator";
import { type FakeServer, neverAnswer } from "./fake-server";

/** A real PNG of one colour. */
export function solidPng(width: number, height: number, color = "#3366cc"): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } })
    .png()
    .toBuffer();
}

/** A context whose signal never aborts. */
export function ctx(onProgress?: (fraction: number) => void) {
  return { signal: new AbortController().signal, onProgress };
}

/** The error a promise rejects with, failing the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

export async function expectTransient(promise: Promise<unknown>): Promise<TransientGenerationError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(TransientGenerationError);
  return error as TransientGenerationError;
}

export async function expectPermanent(
  promise: Promise<unknown>,
  code: PermanentGenerationError["code"],
): Promise<PermanentGenerationError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(PermanentGenerationError);
  expect((error as PermanentGenerationError).code).toBe(code);
  return error as PermanentGenerationError;
}

/** The provider refused our account (not the job): a permanent provider_error that hands the job to fallbacks. */
export async function expectAccountProblem(
  promise: Promise<unknown>,
  problem: ProviderAccountProblem,
): Promise<ProviderAccountError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(ProviderAccountError);
  expect((error as ProviderAccountError).problem).toBe(problem);
  expect((error as ProviderAccountError).code).toBe("provider_error");
  return error as ProviderAccountError;
}

/** The generation was aborted: GenerationAbortedError, with the signal's reason as its cause. */
export async function expectAborted(promise: Promise<unknown>, reason: unknown): Promise<void> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(GenerationAbortedError);
  expect((error as GenerationAbortedError).cause).toBe(reason);
}

/**
 * Timeouts for tests: generous on happy paths (a limit, not an assertion: a busy machine must not fail them),
 * short only where the fake never answers, so that the timeout fires whatever the load.
 */
export const HAPPY_TIMEOUT_MS = 60_000;
export const SHORT_TIMEOUT_MS = 200;

/** Aborts once the fake has received the request, so the abort lands while the provider is working. */
export function abortWhen(arrived: Promise<unknown>) {
  const controller = new AbortController();
  const reason = new Error("job canceled");
  void arrived.then(() => controller.abort(reason));
  return { signal: controller.signal, reason };
}

// A minimal MP3 frame header (MPEG-1 Layer III, 128 kbit/s, 44.1 kHz) followed by silence.
export const MP3_BYTES = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)]);
export const OGG_BYTES = Buffer.concat([Buffer.from("OggS"), Buffer.alloc(60)]);
export const AAC_BYTES = Buffer.concat([Buffer.from([0xff, 0xf1, 0x50, 0x80]), Buffer.alloc(60)]);
export const WAV_BYTES = Buffer.concat([
  Buffer.from("RIFF"),
  Buffer.from([36, 0, 0, 0]),
  Buffer.from("WAVEfmt "),
  Buffer.alloc(28),
]);
export const MP4_BYTES = Buffer.concat([
  Buffer.from([0, 0, 0, 24]),
  Buffer.from("ftypisom"),
  Buffer.alloc(100),
]);

/**
 * The abort behaviour every single-request adapter shares, as two tests: an abort while the provider works closes
 * the request and rejects with GenerationAbortedError; an already aborted signal sends nothing.
 */
export function abortTests(
  setup: () => { fake: FakeServer; path: string; call: (signal: AbortSignal) => Promise<unknown> },
): void {
  test("aborting the job closes the request and rejects with GenerationAbortedError", async () => {
    const { fake, path, call } = setup();
    fake.route("POST", path, neverAnswer);
    const { signal, reason } = abortWhen(fake.waitForRequest("POST", path));
    await expectAborted(call(signal), reason);
    expect(await fake.requests[0]!.outcome).toBe("hung-up");
  });

  test("an already aborted job sends nothing", async () => {
    const { fake, call } = setup();
    const controller = new AbortController();
    controller.abort(new Error("canceled"));
    await expectAborted(call(controller.signal), controller.signal.reason);
    expect(fake.requests).toHaveLength(0);
  });
}
