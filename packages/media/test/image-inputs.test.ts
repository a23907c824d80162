import { createHash } from "node:crypto";
import type { ImageJobInput, VideoJobInput } from "@mcpmediaengine/contract";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import {
  createLocalMotionGenerator,
  createLocalStudioGenerator,
  type InputImage,
  probeImage,
} from "../src/index";
import { cutOut } from "../src/local/cutout";
import { probe } from "./probe";

const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const signal = new AbortController().signal;
const studio = createLocalStudioGenerator();

// A product photo: a red bottle on a flat white background, and the same bottle on transparency.
const bottle = (background: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="400">${background}<rect x="110" y="60" width="80" height="40" rx="5" fill="#222"/><rect x="85" y="100" width="130" height="260" rx="30" fill="#c0392b"/></svg>`;
async function photo(format: "jpeg" | "png", background = '<rect width="300" height="400" fill="#ffffff"/>') {
  const data = await sharp(Buffer.from(bottle(background)))
    [format]()
    .toBuffer();
  return { data, ...(await probeImage(data))! } as InputImage;
}

const base: ImageJobInput = {
  prompt: "Hot sauce, studio shot",
  preset: "product_shot",
  width: 512,
  height: 512,
  format: "png",
  seed: 11,
};

async function rgbaAt(png: Buffer, x: number, y: number) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * 4;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

describe("local-studio with an input image", () => {
  it("reads a file's format and size from its bytes, and refuses what is not PNG, JPEG or WebP", async () => {
    const jpeg = await photo("jpeg");
    expect(jpeg).toMatchObject({ mimeType: "image/jpeg", width: 300, height: 400 });
    const webp = await sharp(jpeg.data).webp().toBuffer();
    expect(await probeImage(webp)).toEqual({ mimeType: "image/webp", width: 300, height: 400 });
    const gif = await sharp(jpeg.data).gif().toBuffer();
    expect(await probeImage(gif)).toBeUndefined();
    expect(await probeImage(Buffer.from("\x89PNG\r\n\x1a\nnot really"))).toBeUndefined();
  });

  it("cuts a flat background, keeps a transparent PNG's own, and keeps a busy photo whole", async () => {
    const decode = async (image: InputImage) => {
      const { data, info } = await sharp(image.data)
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return cutOut(data, info.width, info.height);
    };
    const cut = await decode(await photo("jpeg"));
    expect(cut.kind).toBe("cut");
    // Cropped to the bottle (130 × 300 px, give or take the soft edge).
    expect(cut.width).toBeGreaterThan(125);
    expect(cut.width).toBeLessThan(140);
    expect(cut.height).toBeGreaterThan(295);
    expect(cut.height).toBeLessThan(310);
    const transparent = await decode(await photo("png", ""));
    expect(transparent.kind).toBe("transparent");
    const busy = await decode(
      await photo(
        "png",
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#0a3"/><stop offset="1" stop-color="#fd0"/></linearGradient></defs><rect width="300" height="400" fill="url(#g)"/>',
      ),
    );
    expect(busy.kind).toBe("whole");
  });

  it("places the product on the studio sweep: same input and seed, same bytes; the bottle's red in the middle", async () => {
    const images = { inputs: [await photo("jpeg")] };
    const [a] = await studio.generate(base, { signal, images });
    const [b] = await studio.generate(base, { signal, images });
    expect(sha(a!.data)).toBe(sha(b!.data));
    expect(a).toMatchObject({ mimeType: "image/png", width: 512, height: 512 });
    const [r, g, bl] = await rgbaAt(a!.data, 256, 300);
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(90);
    expect(bl).toBeLessThan(90);
    // The white photo background is gone: the corner is the sweep, not white.
    expect(sha(a!.data)).not.toBe(sha((await studio.generate(base, { signal }))[0]!.data));
  });

  it("makes n images from the next seeds, each the image that seed makes alone", async () => {
    const images = { inputs: [await photo("jpeg")] };
    for (const preset of ["product_shot", "social_post", null] as const) {
      const input = { ...base, preset, mode: "variation" as const };
      const files = await studio.generate({ ...input, n: 3 }, { signal, images });
      expect(files).toHaveLength(3);
      expect(new Set(files.map((f) => sha(f.data))).size).toBe(3);
      const [second] = await studio.generate({ ...input, seed: base.seed + 1 }, { signal, images });
      expect(sha(files[1]!.data)).toBe(sha(second!.data));
    }
    // Without input images too.
    const plain = await studio.generate({ ...base, n: 2 }, { signal });
    expect(plain).toHaveLength(2);
    expect(sha(plain[0]!.data)).not.toBe(sha(plain[1]!.data));
  });

  it("uses the image as a card's background, under the card's type", async () => {
    const images = { inputs: [await photo("jpeg")] };
    const card = {
      ...base,
      preset: "blog_thumbnail" as const,
      width: 600,
      height: 315,
      prompt: "Autumn sale",
    };
    const [withImage] = await studio.generate(card, { signal, images });
    const [without] = await studio.generate(card, { signal });
    expect(sha(withImage!.data)).not.toBe(sha(without!.data));
    expect((await sharp(withImage!.data).metadata()).width).toBe(600);
  });
});

describe("local-motion with a still", () => {
  it("animates the given still: same input, same bytes; the poster shows the still", async () => {
    const still = await photo("png", '<rect width="300" height="400" fill="#1a5fb4"/>');
    const input: VideoJobInput = {
      prompt: "Our new hot sauce",
      durationSeconds: 1,
      aspectRatio: "1:1",
      width: 320,
      height: 320,
      fps: 10,
      voiceover: null,
      format: "mp4",
      seed: 3,
    };
    const motion = createLocalMotionGenerator();
    const [video, poster] = await motion.generate(input, { signal, images: { inputs: [still] } });
    const [again] = await motion.generate(input, { signal, images: { inputs: [still] } });
    expect(sha(video!.data)).toBe(sha(again!.data));
    expect(probe(video!.data, "mp4").streams.find((s) => s.codec_type === "video")).toMatchObject({
      codec_name: "h264",
      width: 320,
      height: 320,
    });
    // The still's blue backdrop fills the poster's corner, where a drawn key image has no such blue.
    const [r, g, b] = await rgbaAt(poster!.data, 4, 4);
    expect(b).toBeGreaterThan(150);
    expect(r).toBeLessThan(60);
    expect(g).toBeLessThan(130);
  });
});

describe("local-studio with a mask", () => {
  it("keeps the original where the mask is opaque, restyles where it is transparent; a product_shot's product is what it keeps", async () => {
    const image = await photo("png", '<rect width="300" height="400" fill="#1a5fb4"/>');
    // Opaque left half (keep), transparent right half (may change).
    const maskPng = await sharp(
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="400"><rect width="150" height="400" fill="#000"/></svg>',
      ),
    )
      .png()
      .toBuffer();
    const mask = { data: maskPng, ...(await probeImage(maskPng))! } as InputImage;
    const input = { ...base, preset: null, width: 300, height: 400, mode: "edit" as const, seed: 5 };
    const [edited] = await studio.generate(input, { signal, images: { inputs: [image], mask } });
    const [restyled] = await studio.generate(input, { signal, images: { inputs: [image] } });
    // Left: the original blue untouched; right: the same as a restyle without a mask.
    expect(await rgbaAt(edited!.data, 20, 20)).toEqual([0x1a, 0x5f, 0xb4]);
    expect(await rgbaAt(edited!.data, 280, 20)).toEqual(await rgbaAt(restyled!.data, 280, 20));
    expect(await rgbaAt(restyled!.data, 20, 20)).not.toEqual([0x1a, 0x5f, 0xb4]);
    const [again] = await studio.generate(input, { signal, images: { inputs: [image], mask } });
    expect(sha(again!.data)).toBe(sha(edited!.data));
    const [shot] = await studio.generate(
      { ...input, preset: "product_shot" },
      { signal, images: { inputs: [image], mask } },
    );
    expect(sha(shot!.data)).not.toBe(
      sha(
        (
          await studio.generate({ ...input, preset: "product_shot" }, { signal, images: { inputs: [image] } })
        )[0]!.data,
      ),
    );
  });
});
