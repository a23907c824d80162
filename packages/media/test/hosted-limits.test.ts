import type { ImageJobInput } from "@mcpmediaengine/contract";
import { describe, expect, test } from "vitest";
import {
  type GenerateContext,
  GenerationAbortedError,
  type Generator,
  TransientGenerationError,
} from "../src/generator";
import { Semaphore, throttled } from "../src/hosted/limits";
import { expectAborted } from "./providers/fixtures";

const input = {} as ImageJobInput;
const file = { data: Buffer.from("x"), mimeType: "image/png", extension: "png" };

/** A provider's generator driven by the test: each call waits until the test settles it. */
function scripted() {
  const calls: { ctx: GenerateContext; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let called: () => void = () => undefined;
  const generator: Generator<"image"> = {
    model: "hosted",
    type: "image",
    provider: "acme",
    generate: (_, ctx) =>
      new Promise((resolve, reject) => {
        calls.push({ ctx, resolve: () => resolve([file]), reject });
        called();
      }),
  };
  const nextCall = () => new Promise<void>((resolve) => (called = resolve));
  return { generator, calls, nextCall };
}

describe("throttled hosted generators", () => {
  test("a job waiting for a provider slot leaves the line at once when aborted, without calling the provider", async () => {
    const { generator, calls, nextCall } = scripted();
    const limited = throttled(generator, new Semaphore(1));
    const first = nextCall();
    const running = limited.generate(input, { signal: new AbortController().signal });
    await first;
    const controller = new AbortController();
    const waiting = limited.generate(input, { signal: controller.signal });
    controller.abort(new Error("canceled"));
    await expectAborted(waiting, controller.signal.reason);
    expect(calls).toHaveLength(1);
    calls[0]!.resolve();
    expect(await running).toEqual([file]);
  });

  test("an abort during an in-place Retry-After wait ends the job; the provider is not called again", async () => {
    const { generator, calls, nextCall } = scripted();
    const limited = throttled(generator, new Semaphore(1));
    const controller = new AbortController();
    const first = nextCall();
    const job = limited.generate(input, { signal: controller.signal });
    await first;
    calls[0]!.reject(new TransientGenerationError("busy", { retryAfterMs: 20_000 }));
    // The wait has begun once the slot is free again: a second job gets it.
    const other = nextCall();
    const second = limited.generate(input, { signal: new AbortController().signal });
    await other;
    controller.abort(new Error("canceled"));
    await expectAborted(job, controller.signal.reason);
    expect(calls).toHaveLength(2);
    calls[1]!.resolve();
    await second;
  });

  /** A job whose provider call is under way when the job is aborted; the test then settles that call. */
  async function abortedInFlight() {
    const { generator, calls, nextCall } = scripted();
    const controller = new AbortController();
    const called = nextCall();
    const job = throttled(generator, new Semaphore(4)).generate(input, { signal: controller.signal });
    await called;
    controller.abort(new Error("canceled"));
    return { job, call: calls[0]!, reason: controller.signal.reason };
  }

  test("whatever a provider's generator rejects with after an abort, the job ends as GenerationAbortedError", async () => {
    const { job, call, reason } = await abortedInFlight();
    call.reject(new TypeError("fetch failed"));
    await expectAborted(job, reason);
  });

  test("a result that arrives after the abort is dropped", async () => {
    const { job, call } = await abortedInFlight();
    call.resolve();
    const error = await job.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenerationAbortedError);
  });

  test("an already aborted job calls nothing", async () => {
    const { generator, calls } = scripted();
    const controller = new AbortController();
    controller.abort(new Error("canceled"));
    await expectAborted(
      throttled(generator, new Semaphore(1)).generate(input, { signal: controller.signal }),
      controller.signal.reason,
    );
    expect(calls).toHaveLength(0);
  });
});
