import { findModel } from "@mcpmediaengine/contract";
import { describe, expect, test } from "vitest";
import { startFakeServer } from "./fake-server";
import { checkRequest, type Operation, providerOperations, type SentRequest } from "./provider-check";
import {
  automatic1111Operations,
  processingBodySchema,
  txt2imgBodySchema,
} from "./provider-check/automatic1111-api";
import { type OpenApiDocument, openApiOperations } from "./provider-check/openapi";
import { definitionFiles, falOperations, readDefinition } from "./provider-check/operations";
import { ELEVENLABS_SPEECH_RULES, OPENAI_IMAGE_RULES, unsaid } from "./provider-check/prose-rules";

const sources = JSON.parse(readDefinition("sources.json")) as Record<string, Record<string, unknown>>;
const openAi = () => JSON.parse(readDefinition("openai-openapi.json")) as OpenApiDocument;
const openAiOperations = (doc = openAi()) =>
  openApiOperations(doc, "openai-openapi.json", "openai", {
    "POST /v1/images/generations": OPENAI_IMAGE_RULES,
  });

function json(
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): SentRequest {
  return {
    method,
    url: new URL(path, "http://provider.test"),
    headers: { "content-type": "application/json", ...headers },
    body: Buffer.from(JSON.stringify(body)),
  };
}

async function form(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  const request = new Request(`http://provider.test${path}`, { method: "POST", body });
  return {
    method: "POST",
    url: new URL(request.url),
    headers: { "content-type": request.headers.get("content-type")!, ...headers },
    body: Buffer.from(await request.arrayBuffer()),
  };
}

const image = { model: "gpt-image-1", prompt: "a fox", n: 1, size: "1536x1024", output_format: "webp" };
const speech = {
  model: "gpt-4o-mini-tts",
  input: "Hello.",
  voice: "alloy",
  response_format: "mp3",
  speed: 1,
};

describe("the copies of the providers' definitions", () => {
  test("each names where it comes from and the day it was taken, and every source listed is a copy here", () => {
    const files = definitionFiles();
    expect(Object.keys(sources).sort()).toEqual([...files].sort());
    for (const file of files) {
      const source = sources[file]!;
      expect(source.taken, file).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(String(source.taken))), file).toBe(false);
      expect(source.repository, file).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(source.path, file).toEqual(expect.any(String));
      expect(source.commit, file).toMatch(/^[0-9a-f]{40}$/);
      expect(source.kept, file).toEqual(expect.any(String));
    }
  });

  test("every operation our adapters call has a definition", () => {
    const defined = providerOperations().map((o) => `${o.provider} ${o.method} ${o.path}`);
    expect(defined).toEqual(
      expect.arrayContaining([
        "openai POST /v1/images/generations",
        "openai POST /v1/audio/speech",
        "fal POST /fal-ai/flux-2/turbo",
        "fal POST /fal-ai/bytedance/seedream/v4/text-to-image",
        "fal POST /fal-ai/bytedance/seedance/v1/pro/fast/text-to-video",
        "fal GET /{owner}/{alias}/requests/{request_id}/status",
        "fal GET /{owner}/{alias}/requests/{request_id}",
        "fal PUT /{owner}/{alias}/requests/{request_id}/cancel",
        "elevenlabs POST /v1/text-to-speech/{voice_id}",
        "stability POST /v2beta/stable-image/generate/core",
        "stability POST /v2beta/stable-image/generate/sd3",
        "stability POST /v2beta/stable-image/edit/inpaint",
        "automatic1111 POST /sdapi/v1/txt2img",
        "automatic1111 POST /sdapi/v1/img2img",
        "automatic1111 POST /sdapi/v1/interrupt",
      ]),
    );
  });

  test("every limit a rule enforces is still in the words of its definition", () => {
    expect(providerOperations().flatMap(unsaid)).toEqual([]);
  });

  test("a new copy that drops the words a rule quotes names the rule to review", () => {
    const doc = openAi();
    const schema = doc.components!.schemas!.CreateImageRequest as {
      properties: Record<string, { description: string }>;
    };
    schema.properties.size!.description = schema.properties.size!.description.replace(
      "Width and height must both be divisible by 16 and the requested aspect ratio must be between 1:3 and 3:1.",
      "Width and height must both be divisible by 32.",
    );
    expect(openAiOperations(doc).flatMap(unsaid)).toEqual([
      'openai-openapi.json: POST /v1/images/generations size no longer says "Width and height must both be divisible by 16 and the requested aspect ratio must be between 1:3 and 3:1.": review its rule in prose-rules.ts',
    ]);
  });
});

describe("checking a request against its definition", () => {
  test("what the adapters send passes", async () => {
    const all = providerOperations();
    const valid = [
      json("POST", "/v1/images/generations", image),
      json("POST", "/v1/images/generations", { ...image, model: "gpt-image-2", size: "1536x800" }),
      json("POST", "/v1/audio/speech", { ...speech, response_format: "pcm", speed: 4 }),
      ...["480p", "720p", "1080p"].flatMap((resolution) =>
        ["5", "10"].map((duration) =>
          json("POST", "/fal-ai/bytedance/seedance/v1/pro/fast/text-to-video", {
            prompt: "waves",
            duration,
            aspect_ratio: "9:16",
            resolution,
            seed: 7,
          }),
        ),
      ),
      json("POST", "/fal-ai/flux-2/turbo", {
        prompt: "a harbour",
        image_size: { width: 2048, height: 512 },
        seed: 7,
        num_images: 1,
        enable_safety_checker: true,
      }),
      json("POST", "/v1/text-to-speech/EXAVITQu4vr4xnSDxMaL?output_format=pcm_24000", {
        text: "Hello.",
        model_id: "eleven_multilingual_v2",
        voice_settings: { speed: 1.15 },
        seed: 4294967295,
      }),
      await form(
        "/v2beta/stable-image/generate/core",
        { prompt: "a fox", output_format: "png", aspect_ratio: "21:9", seed: "4294967294" },
        { authorization: "Bearer sk-test", accept: "image/*" },
      ),
      await form(
        "/v2beta/stable-image/generate/sd3",
        {
          prompt: "a fox",
          mode: "image-to-image",
          image: "<png>",
          strength: "0.6",
          seed: "7",
          output_format: "png",
        },
        { authorization: "Bearer sk-test", accept: "image/*" },
      ),
      await form(
        "/v2beta/stable-image/edit/inpaint",
        {
          prompt: "a fox",
          image: "<png>",
          mask: "<png>",
          negative_prompt: "text",
          seed: "7",
          output_format: "png",
        },
        { authorization: "Bearer sk-test", accept: "image/*" },
      ),
      json("POST", "/sdapi/v1/txt2img", { prompt: "a fox", width: 1200, height: 632, seed: 7, steps: 20 }),
      json("POST", "/sdapi/v1/img2img", {
        prompt: "a fox",
        width: 512,
        height: 512,
        seed: 7,
        steps: 20,
        init_images: ["iVBORw0KGgo="],
        denoising_strength: 0.6,
        resize_mode: 1,
        mask: "iVBORw0KGgo=",
        inpainting_fill: 1,
        inpaint_full_res: false,
      }),
      { ...json("POST", "/sdapi/v1/interrupt", {}), body: Buffer.alloc(0) },
      { ...json("GET", "/fal-ai/flux-2/requests/req-1/status", {}), body: Buffer.alloc(0) },
    ];
    for (const request of valid) {
      expect(await checkRequest(all, request), `${request.method} ${request.url.pathname}`).toEqual([]);
    }
  });

  test("every voice the catalog offers for openai-tts is one of OpenAI's built-in voices", async () => {
    const voices = findModel("openai-tts")!.voices!;
    expect(voices.length).toBeGreaterThan(0);
    for (const voice of voices) {
      expect(
        await checkRequest(
          providerOperations("openai"),
          json("POST", "/v1/audio/speech", { ...speech, voice }),
        ),
        voice,
      ).toEqual([]);
    }
    expect(
      await checkRequest(
        providerOperations("openai"),
        json("POST", "/v1/audio/speech", { ...speech, voice: "en-us-female" }),
      ),
    ).toEqual([
      'openai-openapi.json: POST /v1/audio/speech body.voice "en-us-female" is not one of the built-in voices (alloy, ash, ballad, coral, echo, fable, onyx, nova, sage, shimmer, verse, marin, cedar)',
    ]);
  });

  test("a narrowed enum in the definition names the field, the values it takes and the value sent", async () => {
    const doc = openAi();
    const format = (
      doc.components!.schemas!.CreateImageRequest as { properties: Record<string, { enum: string[] }> }
    ).properties.output_format!;
    format.enum = ["png"];
    expect(await checkRequest(openAiOperations(doc), json("POST", "/v1/images/generations", image))).toEqual([
      'openai-openapi.json: POST /v1/images/generations body.output_format must be one of "png" (sent "webp")',
    ]);
  });

  test("a narrowed range in the definition names the field and the bound", async () => {
    const doc = openAi();
    (doc.components!.schemas!.CreateSpeechRequest as { properties: Record<string, { maximum: number }> })
      .properties.speed!.maximum = 2;
    expect(
      await checkRequest(openAiOperations(doc), json("POST", "/v1/audio/speech", { ...speech, speed: 3 })),
    ).toEqual(["openai-openapi.json: POST /v1/audio/speech body.speed must be <= 2 (sent 3)"]);
  });

  test("a field missing, a field the definition lacks and a field of the wrong type are each named", async () => {
    const { voice: _, ...silent } = speech;
    expect(
      await checkRequest(openAiOperations(), json("POST", "/v1/audio/speech", { ...silent, pitch: 1.2 })),
    ).toEqual([
      "openai-openapi.json: POST /v1/audio/speech body.voice is required",
      "openai-openapi.json: POST /v1/audio/speech body.pitch is not in the definition: the provider refuses or ignores it",
    ]);
    expect(
      await checkRequest(
        providerOperations("automatic1111"),
        json("POST", "/sdapi/v1/txt2img", { prompt: "a fox", steps: "20", sampler: "Euler" }),
      ),
    ).toEqual([
      "automatic1111-api-routes.py: POST /sdapi/v1/txt2img body.sampler is not in the definition: the provider refuses or ignores it",
      'automatic1111-api-routes.py: POST /sdapi/v1/txt2img body.steps must be integer or null (sent "20")',
    ]);
  });

  test("gpt-image-2 takes sizes divisible by 16 within 1:3 to 3:1; the other GPT image models only the standard three", async () => {
    const sized = (model: string, size: string) =>
      checkRequest(openAiOperations(), json("POST", "/v1/images/generations", { ...image, model, size }));
    expect(await sized("gpt-image-2", "1536x800")).toEqual([]);
    expect(await sized("gpt-image-2", "3840x2160")).toEqual([]);
    for (const size of ["1536x801", "3072x1008", "4096x1024"]) {
      expect(await sized("gpt-image-2", size)).toEqual([
        `openai-openapi.json: POST /v1/images/generations body.size "${size}" is not one gpt-image-2 takes: sides divisible by 16, aspect ratio between 1:3 and 3:1, at most 3840x2160`,
      ]);
    }
    expect(await sized("gpt-image-1", "1536x800")).toEqual([
      'openai-openapi.json: POST /v1/images/generations body.size "1536x800" is not one gpt-image-1 takes (auto, 1024x1024, 1536x1024, 1024x1536)',
    ]);
  });

  test("fal: a resolution dropped from a new copy of the types is named with the values left", async () => {
    const narrowed = readDefinition("fal-endpoints.ts").replace(
      'resolution?: "480p" | "720p" | "1080p";',
      'resolution?: "480p" | "1080p";',
    );
    const request = json("POST", "/fal-ai/bytedance/seedance/v1/pro/fast/text-to-video", {
      prompt: "waves",
      duration: "5",
      aspect_ratio: "16:9",
      resolution: "720p",
    });
    expect(await checkRequest(falOperations(narrowed, "fal-endpoints.ts"), request)).toEqual([
      'fal-endpoints.ts: POST /fal-ai/bytedance/seedance/v1/pro/fast/text-to-video body.resolution must be one of "480p", "1080p" (sent "720p")',
    ]);
  });

  test("fal: image sizes out of the bounds the descriptions state, and an endpoint without a copy", async () => {
    const fal = providerOperations("fal");
    expect(
      await checkRequest(
        fal,
        json("POST", "/fal-ai/flux-2/turbo", { prompt: "x", image_size: { width: 4096, height: 1024 } }),
      ),
    ).toEqual([
      "fal-endpoints.ts: POST /fal-ai/flux-2/turbo body.image_size 4096x1024 has a side outside 512 to 2048",
    ]);
    expect(
      await checkRequest(
        fal,
        json("POST", "/fal-ai/bytedance/seedream/v4/text-to-image", {
          prompt: "x",
          image_size: { width: 1200, height: 630 },
        }),
      ),
    ).toEqual([
      "fal-endpoints.ts: POST /fal-ai/bytedance/seedream/v4/text-to-image body.image_size 1200x630 has 756000 pixels, outside 960x960 to 4096x4096",
    ]);
    expect(await checkRequest(fal, json("POST", "/fal-ai/flux/dev", { prompt: "x" }))).toEqual([
      "POST /fal-ai/flux/dev: no operation in the definitions (fal) has this path",
    ]);
  });

  test("Stability: multipart fields are read as the definition types them, ranges and enums included", async () => {
    const request = await form(
      "/v2beta/stable-image/generate/core",
      { prompt: "a fox", aspect_ratio: "4:1", seed: "4294967295" },
      { authorization: "Bearer sk-test", accept: "image/png" },
    );
    expect(await checkRequest(providerOperations("stability"), request)).toEqual([
      'stability-openapi.json: POST /v2beta/stable-image/generate/core header.accept must be one of "image/*", "application/json" (sent "image/png")',
      'stability-openapi.json: POST /v2beta/stable-image/generate/core body.aspect_ratio must be one of "21:9", "16:9", "3:2", "5:4", "1:1", "4:5", "2:3", "9:16", "9:21" (sent "4:1")',
      "stability-openapi.json: POST /v2beta/stable-image/generate/core body.seed must be <= 4294967294 (sent 4294967295)",
    ]);
    const asJson = json(
      "POST",
      "/v2beta/stable-image/generate/core",
      { prompt: "a fox" },
      { authorization: "x" },
    );
    expect(await checkRequest(providerOperations("stability"), asJson)).toEqual([
      "stability-openapi.json: POST /v2beta/stable-image/generate/core body must be multipart/form-data, was sent as application/json",
    ]);
  });

  test("ElevenLabs: the query's output format and the seed's stated range", async () => {
    const operations = openApiOperations(
      JSON.parse(readDefinition("elevenlabs-openapi.json")) as OpenApiDocument,
      "elevenlabs-openapi.json",
      "elevenlabs",
      { "POST /v1/text-to-speech/{voice_id}": ELEVENLABS_SPEECH_RULES },
    );
    const request = json("POST", "/v1/text-to-speech/voice-1?output_format=wav_24000", {
      text: "Hi.",
      seed: -1,
    });
    const problems = await checkRequest(operations, request);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^elevenlabs-openapi\.json: POST \/v1\/text-to-speech\/\{voice_id\} query\.output_format must be one of "mp3_22050_32", .*"pcm_24000".* \(sent "wav_24000"\)$/,
    );
    expect(problems[1]).toBe(
      "elevenlabs-openapi.json: POST /v1/text-to-speech/{voice_id} body.seed -1 is not an integer between 0 and 4294967295",
    );
  });

  test("Stability SD 3.5: image-to-image needs image and strength, which text-to-image refuses, as does aspect_ratio", async () => {
    const stability = providerOperations("stability");
    const headers = { authorization: "Bearer sk-test", accept: "image/*" };
    const at = "stability-openapi.json: POST /v2beta/stable-image/generate/sd3 body.";
    expect(
      await checkRequest(
        stability,
        await form(
          "/v2beta/stable-image/generate/sd3",
          { prompt: "a fox", mode: "image-to-image", image: "x" },
          headers,
        ),
      ),
    ).toEqual([`${at}mode image-to-image requires image and strength`]);
    expect(
      await checkRequest(
        stability,
        await form("/v2beta/stable-image/generate/sd3", { prompt: "a fox", strength: "0.5" }, headers),
      ),
    ).toEqual([`${at}image and strength are only valid with mode image-to-image`]);
    expect(
      await checkRequest(
        stability,
        await form(
          "/v2beta/stable-image/generate/sd3",
          { prompt: "a fox", mode: "image-to-image", image: "x", strength: "1.5", aspect_ratio: "1:1" },
          headers,
        ),
      ),
    ).toEqual([
      `${at}strength must be <= 1 (sent 1.5)`,
      `${at}aspect_ratio is only valid for text-to-image requests`,
    ]);
    expect(
      await checkRequest(
        stability,
        await form("/v2beta/stable-image/edit/inpaint", { prompt: "a fox", strength: "0.5" }, headers),
      ),
    ).toEqual([
      "stability-openapi.json: POST /v2beta/stable-image/edit/inpaint body.image is required",
      "stability-openapi.json: POST /v2beta/stable-image/edit/inpaint body.strength is not in the definition: the provider refuses or ignores it",
    ]);
  });

  test("AUTOMATIC1111: img2img takes the processing fields and the Img2Img subclass's; txt2img does not", async () => {
    const a1111 = providerOperations("automatic1111");
    expect(
      await checkRequest(a1111, json("POST", "/sdapi/v1/txt2img", { prompt: "a fox", init_images: ["x"] })),
    ).toEqual([
      "automatic1111-api-routes.py: POST /sdapi/v1/txt2img body.init_images is not in the definition: the provider refuses or ignores it",
    ]);
    expect(
      await checkRequest(
        a1111,
        json("POST", "/sdapi/v1/img2img", { prompt: "a fox", init_images: "x", denoising_strength: "0.5" }),
      ),
    ).toEqual([
      'automatic1111-api-routes.py: POST /sdapi/v1/img2img body.denoising_strength must be number (sent "0.5")',
      'automatic1111-api-routes.py: POST /sdapi/v1/img2img body.init_images must be array or null (sent "x")',
    ]);
  });

  test("AUTOMATIC1111: the body model is the processing dataclass's fields as the API module builds it", () => {
    const schema = txt2imgBodySchema(
      readDefinition("automatic1111-processing.py"),
      readDefinition("automatic1111-api-models.py"),
      "automatic1111-processing.py",
    );
    const img2img = processingBodySchema(
      readDefinition("automatic1111-processing.py"),
      readDefinition("automatic1111-api-models.py"),
      "StableDiffusionImg2ImgProcessingAPI",
      "automatic1111-processing.py",
    );
    const properties = schema.properties as Record<string, unknown>;
    // API_NOT_ALLOWED fields are not taken; the generator's additional fields are.
    expect(properties.sd_model).toBeUndefined();
    expect(properties.sampler_index).toEqual({ type: "string" });
    expect(properties.seed).toEqual({ anyOf: [{ type: "integer" }, { type: "null" }] });
    // The Img2Img subclass's own fields; a field init=False leaves out is not taken; an image is its base64 string.
    const own = img2img.properties as Record<string, unknown>;
    expect(own.resize_mode).toEqual({ anyOf: [{ type: "integer" }, { type: "null" }] });
    expect(own.init_latent).toBeUndefined();
    expect(own.latent_mask).toEqual({ anyOf: [{ type: "string" }, { type: "null" }] });
    expect(own.denoising_strength).toEqual({ type: "number" });
    expect(properties.resize_mode).toBeUndefined();
    const operations = automatic1111Operations(
      readDefinition("automatic1111-api-routes.py"),
      { StableDiffusionTxt2ImgProcessingAPI: schema, StableDiffusionImg2ImgProcessingAPI: img2img },
      "routes",
    );
    expect(
      operations.map((o: Operation) => `${o.method} ${o.path} ${o.body ? "with" : "without"} a body`),
    ).toEqual([
      "POST /sdapi/v1/txt2img with a body",
      "POST /sdapi/v1/img2img with a body",
      "POST /sdapi/v1/interrupt without a body",
    ]);
    expect(() =>
      automatic1111Operations(
        readDefinition("automatic1111-api-routes.py"),
        { StableDiffusionTxt2ImgProcessingAPI: schema },
        "routes",
      ),
    ).toThrow("routes: StableDiffusionImg2ImgProcessingAPI is not copied");
  });

  test("a wrong method on a defined path, a path no definition has, and a body where the definition takes none", async () => {
    const fal = providerOperations("fal");
    expect(await checkRequest(fal, json("POST", "/fal-ai/flux-2/requests/req-1/status", {}))).toEqual([
      "POST /fal-ai/flux-2/requests/req-1/status: the definitions define GET here",
    ]);
    expect(
      await checkRequest(fal, json("PUT", "/fal-ai/flux-2/requests/req-1/cancel", { now: true })),
    ).toEqual([
      "fal-js queue.ts: PUT /{owner}/{alias}/requests/{request_id}/cancel has no body, but one was sent",
    ]);
  });

  test("a fake playing a provider fails its test on close, listing what broke the definition", async () => {
    const fake = await startFakeServer({ provider: "openai" });
    fake.route("POST", "/v1/images/generations", { status: 200, body: { data: [] } });
    await fetch(`${fake.url}/v1/images/generations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...image, size: "999x999" }),
    });
    await expect(fake.close()).rejects.toThrow(
      'openai\'s definition refuses what the fake received:\n- openai-openapi.json: POST /v1/images/generations body.size "999x999" is not one gpt-image-1 takes (auto, 1024x1024, 1536x1024, 1024x1536)',
    );
  });
});
