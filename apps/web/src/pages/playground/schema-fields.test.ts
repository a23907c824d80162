import {
  AudioJobRequest,
  IMAGE_SIZE_LIMITS,
  ImageJobRequest,
  ImagePresetId,
  JobRequest,
  VideoJobRequest,
} from "@mcpmediaengine/contract";
import { describe, expect, it } from "vitest";
import { fieldsOf, toRequest } from "./schema-fields";

describe("forms read off the contract", () => {
  it("has a field for every request field but the type, with the contract's options, limits and help", () => {
    for (const schema of [ImageJobRequest, VideoJobRequest, AudioJobRequest]) {
      const names = fieldsOf(schema).map((f) => f.name);
      expect(names).toEqual(Object.keys(schema.shape).filter((k) => k !== "type"));
    }
    const image = Object.fromEntries(fieldsOf(ImageJobRequest).map((f) => [f.name, f]));
    expect(image.preset).toMatchObject({ kind: "enum", options: ImagePresetId.options, required: false });
    expect(image.width).toMatchObject({
      kind: "number",
      min: IMAGE_SIZE_LIMITS.min,
      max: IMAGE_SIZE_LIMITS.max,
      int: true,
    });
    expect(image.prompt).toMatchObject({ kind: "text", long: true, required: true });
    expect(image.model?.description).toMatch(/GET \/v1\/models/);
    expect(image.webhookEvents).toMatchObject({ kind: "multi" });
    expect(image.metadata).toMatchObject({ kind: "record" });
    expect(image.inputImages).toMatchObject({ kind: "list" });
    expect(image.mask).toMatchObject({ kind: "text" });
    const video = Object.fromEntries(fieldsOf(VideoJobRequest).map((f) => [f.name, f]));
    expect(video.voiceover).toMatchObject({ kind: "object" });
    expect(video.voiceover?.kind === "object" && video.voiceover.fields.map((f) => f.name)).toEqual([
      "script",
      "voice",
    ]);
  });

  it("turns form values into a request the contract accepts, leaving empty fields out", () => {
    const specs = fieldsOf(VideoJobRequest);
    const request = toRequest("video", specs, {
      prompt: "A harbour at dawn",
      durationSeconds: "4",
      aspectRatio: "9:16",
      seed: "",
      voiceover: { script: "", voice: "en-gb-female" },
      metadata: '{"campaign":"spring"}',
      webhookEvents: [],
    });
    expect(request).toEqual({
      type: "video",
      prompt: "A harbour at dawn",
      durationSeconds: 4,
      aspectRatio: "9:16",
      metadata: { campaign: "spring" },
    });
    expect(JobRequest.safeParse(request).success).toBe(true);
    const fromImages = toRequest("image", fieldsOf(ImageJobRequest), {
      prompt: "Studio shot",
      inputImages: "upl_0000000000000000000000aa, https://example.com/a.png",
      mode: "reference",
    });
    expect(fromImages.inputImages).toEqual(["upl_0000000000000000000000aa", "https://example.com/a.png"]);
    const narrated = toRequest("video", specs, { prompt: "x", voiceover: { script: "Hello", voice: "" } });
    expect(narrated.voiceover).toEqual({ script: "Hello" });
  });
});
