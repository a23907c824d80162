import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { hostedModels } from "../../src/hosted/models";
import type { InputImage } from "../../src/inputs/input-image";
import { createOpenAiImages } from "../../src/providers/openai-images";
import { type FakeServer, json, startFakeServer } from "./fake-server";
import { ctx, HAPPY_TIMEOUT_MS, solidPng } from "./fixtures";

const KEY = "sk-test-openai";
const EDITS = "/v1/images/edits";

async function inputImage(width: number, height: number): Promise<InputImage> {
  return { data: await solidPng(width, height), mimeType: "image/png", width, height };
}

describe("OpenAI image edits", () => {
  let fake: FakeServer;
  beforeEach(async () => {
    fake = await startFakeServer({ provider: "openai" });
  });
  afterEach(async () => {
    await fake.close();
  });

  test("posts the documented multipart form: the image and mask as files, n, size; returns n images at the asked size", async () => {
    const png = await solidPng(1024, 1024);
    fake.route(
      "POST",
      EDITS,
      json(200, {
        created: 1,
        data: [{ b64_json: png.toString("base64") }, { b64_json: png.toString("base64") }],
      }),
    );
    const images = createOpenAiImages({ apiKey: KEY, baseUrl: fake.url, timeoutMs: HAPPY_TIMEOUT_MS });
    const image = await inputImage(640, 480);
    const mask = await inputImage(640, 480);
    const files = await images.edit(
      {
        model: "gpt-image-2",
        prompt: "make it autumn",
        width: 800,
        height: 600,
        format: "png",
        n: 2,
        image,
        mask,
      },
      ctx(),
    );
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.width === 800 && f.height === 600)).toBe(true);
    const sent = fake.requests[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(String(sent.headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
    const form = await sent.formData();
    expect(form.get("model")).toBe("gpt-image-2");
    expect(form.get("prompt")).toBe("make it autumn");
    expect(form.get("n")).toBe("2");
    expect(form.get("size")).toBe("944x704"); // under gpt-image-2's least pixels: drawn larger, scaled down
    const sentImage = form.get("image") as File;
    expect(sentImage.type).toBe("image/png");
    expect(Buffer.from(await sentImage.arrayBuffer()).equals(image.data)).toBe(true);
    expect((form.get("mask") as File).name).toBe("mask.png");
  });

  test("gpt-image-2 in the catalog: an input image goes to the edits endpoint, none to generations, n images either way", async () => {
    const png = await solidPng(1024, 1024);
    const two = json(200, {
      data: [{ b64_json: png.toString("base64") }, { b64_json: png.toString("base64") }],
    });
    fake.route("POST", EDITS, two);
    fake.route("POST", "/v1/images/generations", two);
    const { generators } = hostedModels({
      openai: { apiKey: KEY, baseUrl: fake.url },
      timeoutMs: HAPPY_TIMEOUT_MS,
    });
    const gpt = generators.find((g) => g.model === "gpt-image-2")!;
    const input = {
      prompt: "autumn",
      preset: null,
      width: 512,
      height: 512,
      format: "webp" as const,
      seed: 1,
      n: 2,
    };
    const edited = await gpt.generate({ ...input, mode: "edit" } as never, {
      ...ctx(),
      images: { inputs: [await inputImage(512, 512)] },
    });
    expect(edited.map((f) => f.mimeType)).toEqual(["image/webp", "image/webp"]);
    expect((await sharp(edited[0]!.data).metadata()).width).toBe(512);
    const drawn = await gpt.generate(input as never, ctx());
    expect(drawn).toHaveLength(2);
    expect(fake.requests.map((r) => r.url.pathname)).toEqual([EDITS, "/v1/images/generations"]);
    expect((fake.requests[1]!.json() as { n: number }).n).toBe(2);
  });
});
