import { z } from "zod";

export const ImagePresetId = z
  .enum(["blog_thumbnail", "social_post", "product_shot"])
  .describe(
    "Style preset. blog_thumbnail: 1200×630 hero card with the prompt typeset as its title. social_post: 1080×1080 square post. product_shot: 1024×1024 studio backdrop with a product form and soft shadow.",
  );
export type ImagePresetId = z.infer<typeof ImagePresetId>;

export interface ImagePreset {
  id: ImagePresetId;
  width: number;
  height: number;
  format: "png";
  description: string;
}

export const IMAGE_PRESETS: Record<ImagePresetId, ImagePreset> = {
  blog_thumbnail: {
    id: "blog_thumbnail",
    width: 1200,
    height: 630,
    format: "png",
    description: "Hero card for a blog post or Open Graph image, with the title typeset from the prompt.",
  },
  social_post: {
    id: "social_post",
    width: 1080,
    height: 1080,
    format: "png",
    description: "Square social media post.",
  },
  product_shot: {
    id: "product_shot",
    width: 1024,
    height: 1024,
    format: "png",
    description: "Studio backdrop with a product form and a soft shadow.",
  },
};

export const IMAGE_SIZE_LIMITS = {
  min: 64,
  max: 2048,
  maxPixels: 2048 * 2048,
  defaultWidth: 1024,
  defaultHeight: 1024,
};
