import { createHash } from "node:crypto";
import type { ImageJobInput } from "@mcpmediaengine/contract";
import { imageSize } from "image-size";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { createLocalStudioGenerator, renderImage } from "../src/index";
import { expectAborted } from "./providers/fixtures";

const base: ImageJobInput = {
  prompt: "How we cut our cloud bill in half with Postgres queues",
  preset: "blog_thumbnail",
  width: 1200,
  height: 630,
  format: "png",
  seed: 42,
};

const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe("local-studio", () => {
  it.each(["png", "webp", "jpeg", "avif"] as const)(
    "gives the same %s bytes for the same input",
    async (format) => {
      const input = { ...base, format };
      const [a, b] = await Promise.all([renderImage(input), renderImage(input)]);
      expect(sha(a)).toBe(sha(b));
    },
  );

  it("gives different images for a different seed, prompt or preset", async () => {
    const reference = sha(await renderImage(base));
    expect(sha(await renderImage({ ...base, seed: 43 }))).not.toBe(reference);
    expect(sha(await renderImage({ ...base, prompt: "Another title" }))).not.toBe(reference);
    expect(sha(await renderImage({ ...base, preset: "social_post" }))).not.toBe(reference);
  });

  it.each([
    ["blog_thumbnail", 1200, 630],
    ["social_post", 1080, 1080],
    ["product_shot", 1024, 1024],
    [null, 640, 960],
    [null, 2048, 64],
  ] as const)("draws %s at %i×%i", async (preset, width, height) => {
    const data = await renderImage({ ...base, preset, width, height });
    expect(imageSize(data)).toMatchObject({ type: "png", width, height });
  });

  it.each([
    ["webp", "image/webp"],
    ["jpeg", "image/jpeg"],
    ["avif", "image/avif"],
  ] as const)("encodes %s with its media type", async (format, mimeType) => {
    const [file] = await createLocalStudioGenerator().generate(
      { ...base, format },
      { signal: new AbortController().signal },
    );
    expect(file?.mimeType).toBe(mimeType);
    const meta = await sharp(file?.data).metadata();
    expect(meta.format).toBe(format === "avif" ? "heif" : format);
    expect([meta.width, meta.height]).toEqual([1200, 630]);
  });

  it("draws something on every preset, not a blank canvas", async () => {
    for (const preset of ["blog_thumbnail", "social_post", "product_shot", null] as const) {
      const stats = await sharp(await renderImage({ ...base, preset, width: 512, height: 512 })).stats();
      // A flat fill has no spread; text, shapes and gradients do.
      expect(Math.max(...stats.channels.map((c) => c.stdev))).toBeGreaterThan(15);
    }
  });

  it("typesets the title: the text area differs from the same card with another title", async () => {
    const crop = (data: Buffer) =>
      sharp(data).extract({ left: 60, top: 150, width: 500, height: 300 }).raw().toBuffer();
    const a = await crop(await renderImage({ ...base, prompt: "Short title" }));
    const b = await crop(await renderImage({ ...base, prompt: "Quite a different headline here" }));
    expect(a.equals(b)).toBe(false);
  });

  it("copes with very long, unbroken and non-Latin prompts", async () => {
    for (const prompt of [
      "word ".repeat(800),
      "x".repeat(4000),
      "Ünïcödé café — naïve résumé",
      "日本語のタイトル",
    ]) {
      for (const preset of ["blog_thumbnail", "social_post", "product_shot"] as const) {
        const data = await renderImage({ ...base, prompt, preset });
        expect(imageSize(data).width).toBe(1200);
      }
    }
  });

  it("stops before drawing when the job is already aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("canceled"));
    await expectAborted(
      createLocalStudioGenerator().generate(base, { signal: controller.signal }),
      controller.signal.reason,
    );
  });

  it("an abort while it encodes returns no image: it rejects once the encode is over", async () => {
    const controller = new AbortController();
    // Drawn at once; the AVIF encode of 4 megapixels is still running when the abort comes.
    const running = createLocalStudioGenerator().generate(
      { ...base, format: "avif", width: 2048, height: 2048 },
      { signal: controller.signal },
    );
    controller.abort(new Error("canceled"));
    await expectAborted(running, controller.signal.reason);
  });
});
