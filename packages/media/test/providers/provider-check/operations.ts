import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { automatic1111Operations, processingBodySchema } from "./automatic1111-api";
import { type OpenApiDocument, openApiOperations } from "./openapi";
import type { Operation, Provider } from "./operation";
import {
  ELEVENLABS_SPEECH_RULES,
  FAL_RULES,
  OPENAI_IMAGE_RULES,
  OPENAI_SPEECH_RULES,
  type ProseRule,
  STABILITY_SD3_RULES,
} from "./prose-rules";
import { falInputSchemas } from "./typescript-types";

export const DEFINITIONS_DIR = fileURLToPath(new URL("../definitions/", import.meta.url));

export function readDefinition(file: string): string {
  return readFileSync(`${DEFINITIONS_DIR}${file}`, "utf8");
}

/** The copies under ../definitions, sources.json (which says where each comes from) aside. */
export function definitionFiles(): string[] {
  return readdirSync(DEFINITIONS_DIR).filter((file) => file !== "sources.json");
}

/** Each fal endpoint of a copy of fal-js's types: submitted as JSON to the queue at /{endpoint id}. */
export function falOperations(
  source: string,
  definition: string,
  rules: Record<string, ProseRule[]> = FAL_RULES,
): Operation[] {
  return [...falInputSchemas(source, definition)].map(([endpoint, schema]) => ({
    provider: "fal",
    definition,
    method: "POST",
    path: `/${endpoint}`,
    body: { mediaType: "application/json", schema, required: true },
    rules: rules[endpoint] ?? [],
  }));
}

// fal's queue (fal-ai/fal-js libs/client/src/queue.ts at 381105e: GET …/status, GET the result, PUT …/cancel):
// under the app id (owner/alias, the endpoint's first two segments), without a body.
const FAL_QUEUE: Operation[] = [
  { method: "GET", path: "/{owner}/{alias}/requests/{request_id}/status" },
  { method: "GET", path: "/{owner}/{alias}/requests/{request_id}" },
  { method: "PUT", path: "/{owner}/{alias}/requests/{request_id}/cancel" },
].map((operation) => ({ ...operation, provider: "fal", definition: "fal-js queue.ts" }));

function load(): Operation[] {
  const json = (file: string) => JSON.parse(readDefinition(file)) as OpenApiDocument;
  return [
    ...openApiOperations(json("openai-openapi.json"), "openai-openapi.json", "openai", {
      "POST /v1/images/generations": OPENAI_IMAGE_RULES,
      "POST /v1/audio/speech": OPENAI_SPEECH_RULES,
    }),
    ...falOperations(readDefinition("fal-endpoints.ts"), "fal-endpoints.ts"),
    ...FAL_QUEUE,
    ...openApiOperations(json("elevenlabs-openapi.json"), "elevenlabs-openapi.json", "elevenlabs", {
      "POST /v1/text-to-speech/{voice_id}": ELEVENLABS_SPEECH_RULES,
    }),
    ...openApiOperations(json("stability-openapi.json"), "stability-openapi.json", "stability", {
      "POST /v2beta/stable-image/generate/sd3": STABILITY_SD3_RULES,
    }),
    ...automatic1111Operations(
      readDefinition("automatic1111-api-routes.py"),
      Object.fromEntries(
        (["StableDiffusionTxt2ImgProcessingAPI", "StableDiffusionImg2ImgProcessingAPI"] as const).map(
          (model) => [
            model,
            processingBodySchema(
              readDefinition("automatic1111-processing.py"),
              readDefinition("automatic1111-api-models.py"),
              model,
              "automatic1111-processing.py",
            ),
          ],
        ),
      ),
      "automatic1111-api-routes.py",
    ),
  ];
}

let loaded: Operation[] | undefined;

/** The operations the copies define, of one provider or of all. */
export function providerOperations(provider?: Provider): Operation[] {
  loaded ??= load();
  return provider ? loaded.filter((operation) => operation.provider === provider) : loaded;
}
