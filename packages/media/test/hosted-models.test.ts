import type { AudioJobInput, ImageJobInput } from "@mcpmediaengine/contract";
import { afterEach, beforeEach, expect, test } from "vitest";
import { hostedModels } from "../src/hosted/models";
import { type FakeServer, json, neverAnswer, startFakeServer } from "./providers/fake-server";
import { ctx, expectTransient } from "./providers/fixtures";

// What the hosted models send. MME_PROVIDER_TIMEOUTS: each provider's own bound, the exchange for most, the wait
// for its result for fal.
let fake: FakeServer;
beforeEach(async () => {
  fake = await startFakeServer();
});
afterEach(async () => {
  await fake.close();
});

const speech = { prompt: "Hello.", voice: "EXAVITQu4vr4xnSDxMaL", speed: 1, seed: 1, format: "mp3" };
const image = { prompt: "a kite", width: 1024, height: 1024, seed: 1, format: "png" };

test("a provider's own timeout bounds its calls", async () => {
  const { generators } = hostedModels({
    elevenlabs: { apiKey: "xi-key", baseUrl: fake.url },
    timeouts: { elevenlabs: 150, fal: 60_000 },
  });
  fake.route("POST", "/v1/text-to-speech/EXAVITQu4vr4xnSDxMaL", neverAnswer);
  const elevenlabs = generators.find((g) => g.model === "elevenlabs")!;
  const error = await expectTransient(elevenlabs.generate(speech as AudioJobInput as never, ctx()));
  expect(error.message).toBe("ElevenLabs did not answer within 150 ms");
});

test("fal's timeout is the wait for the result: each poll still answers, the request is canceled when it is spent", async () => {
  const { generators } = hostedModels({
    fal: { apiKey: "fal-key", baseUrl: fake.url },
    timeouts: { fal: 300 },
    pollIntervalMs: 20,
  });
  fake.route(
    "POST",
    "/fal-ai/flux-2/turbo",
    json(200, { request_id: "r1", status_url: `${fake.url}/fal-ai/flux-2/requests/r1/status` }),
  );
  fake.route("GET", "/fal-ai/flux-2/requests/r1/status", json(200, { status: "IN_QUEUE" }));
  fake.route("PUT", "/fal-ai/flux-2/requests/r1/cancel", json(202, { status: "CANCELLATION_REQUESTED" }));
  const flux = generators.find((g) => g.model === "flux-2-turbo")!;
  const error = await expectTransient(flux.generate(image as ImageJobInput as never, ctx()));
  expect(error.message).toBe("fal did not finish the request within 300 ms");
  expect(fake.requests.map((r) => `${r.method} ${r.url.pathname}`)).toContain(
    "PUT /fal-ai/flux-2/requests/r1/cancel",
  );
});

test("elevenlabs as another model's fallback speaks at the nearest speed ElevenLabs takes", async () => {
  const { generators } = hostedModels({ elevenlabs: { apiKey: "xi-key", baseUrl: fake.url } });
  const mp3 = Buffer.from("ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000");
  fake.route("POST", "/v1/text-to-speech/EXAVITQu4vr4xnSDxMaL", {
    status: 200,
    headers: { "content-type": "audio/mpeg" },
    body: mp3,
  });
  const elevenlabs = generators.find((g) => g.model === "elevenlabs")!;
  await elevenlabs
    .generate({ ...speech, speed: 1.5 } as AudioJobInput as never, ctx())
    .catch(() => undefined);
  await elevenlabs
    .generate({ ...speech, speed: 0.5 } as AudioJobInput as never, ctx())
    .catch(() => undefined);
  expect(
    fake.requests.map((r) => (r.json() as { voice_settings?: { speed: number } }).voice_settings),
  ).toEqual([{ speed: 1.2 }, { speed: 0.7 }]);
});
