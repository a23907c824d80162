import { describe, expect, test } from "vitest";
import { AdminCreateAccountRequest, AdminCreateKeyRequest, AdminCreditsRequest } from "./admin";
import { BatchItem, CreateBatchRequest } from "./batch";
import { isStorableText, StorableString, WebhookUrl } from "./common";
import { parseRequest } from "./errors";
import { JobRequest, ListJobsRequest } from "./job";
import { CreateWebhookEndpointRequest, UpdateWebhookEndpointRequest } from "./webhooks";

const NUL = "\u0000";
const LONE_HIGH = "\ud83d";
const LONE_LOW = "\ude00";

describe("StorableString", () => {
  test("keeps text Postgres stores, emoji (a surrogate pair) and other control characters included", () => {
    for (const ok of ["a red fox", "🦊 and 😀", "tab\tand\nnewline", "\u0001", "é ß 漢字", ""]) {
      expect([ok, isStorableText(ok), StorableString.safeParse(ok).success]).toEqual([ok, true, true]);
    }
  });

  test("refuses NUL and unpaired surrogates, wherever they sit", () => {
    for (const bad of [
      NUL,
      `a${NUL}b`,
      LONE_HIGH,
      `x${LONE_LOW}`,
      `${LONE_LOW}${LONE_HIGH}`,
      `ok 😀 ${LONE_HIGH}`,
    ]) {
      expect([bad, isStorableText(bad), StorableString.safeParse(bad).success]).toEqual([bad, false, false]);
    }
  });

  test("a webhook URL is checked as sent, before normalizing could hide a NUL", () => {
    expect(WebhookUrl.safeParse("https://example.com/hook").data).toBe("https://example.com/hook");
    for (const bad of [
      `https://example.com/${NUL}`,
      `${NUL}https://example.com/`,
      `https://example.com/${LONE_HIGH}`,
    ]) {
      expect([bad, WebhookUrl.safeParse(bad).success]).toEqual([bad, false]);
    }
  });

  test("a webhook URL that is not http(s) is refused as invalid_webhook_url; other faults stay invalid_request", () => {
    for (const url of ["ftp://example.com/x", "file:///etc/passwd", "javascript:alert(1)", "not a url"]) {
      const refused = () => parseRequest(JobRequest, { type: "image", prompt: "x", webhookUrl: url });
      expect(refused).toThrow(expect.objectContaining({ code: "invalid_webhook_url", status: 400 }));
    }
    const nul = () =>
      parseRequest(JobRequest, { type: "image", prompt: "x", webhookUrl: `https://a.example/${NUL}` });
    expect(nul).toThrow(expect.objectContaining({ code: "invalid_request" }));
    const other = () =>
      parseRequest(JobRequest, { type: "image", prompt: "", webhookUrl: "https://a.example/" });
    expect(other).toThrow(expect.objectContaining({ code: "invalid_request" }));
  });
});

const image = { type: "image", prompt: "x" };
const video = { type: "video", prompt: "x" };
const audio = { type: "audio", prompt: "x" };

// Every string a request carries, each poisoned in turn: the refusal names the field.
describe.each([NUL, LONE_HIGH])("a request with %j in one string field", (poison) => {
  const endpointId = "whe_0000000000000000000000zz";
  test.each([
    ["image prompt", JobRequest, { ...image, prompt: `a ${poison}` }, "prompt"],
    ["video prompt", JobRequest, { ...video, prompt: poison }, "prompt"],
    ["audio prompt", JobRequest, { ...audio, prompt: `say ${poison}` }, "prompt"],
    ["voiceover script", JobRequest, { ...video, voiceover: { script: poison } }, "voiceover.script"],
    [
      "voiceover voice",
      JobRequest,
      { ...video, voiceover: { script: "hi", voice: poison } },
      "voiceover.voice",
    ],
    ["speech voice", JobRequest, { ...audio, voice: poison }, "voice"],
    ["model", JobRequest, { ...image, model: poison }, "model"],
    ["webhookUrl", JobRequest, { ...image, webhookUrl: `https://example.com/${poison}` }, "webhookUrl"],
    ["metadata value", JobRequest, { ...image, metadata: { k: poison } }, "metadata.k"],
    ["metadata key", JobRequest, { ...image, metadata: { [`k${poison}`]: 1 } }, "metadata"],
    ["batch item customId", BatchItem, { ...image, customId: poison }, "customId"],
    ["matrix prompt", CreateBatchRequest, { matrix: { prompts: ["ok", poison] } }, "matrix.prompts.1"],
    ["batch metadata", CreateBatchRequest, { jobs: [image], metadata: { k: poison } }, "metadata.k"],
    [
      "batch webhookUrl",
      CreateBatchRequest,
      { jobs: [image], webhookUrl: `https://e.com/${poison}` },
      "webhookUrl",
    ],
    ["endpoint url", CreateWebhookEndpointRequest, { url: `https://e.com/${poison}` }, "url"],
    [
      "endpoint description",
      CreateWebhookEndpointRequest,
      { url: "https://e.com/", description: poison },
      "description",
    ],
    [
      "endpoint update description",
      UpdateWebhookEndpointRequest,
      { endpointId, description: poison },
      "description",
    ],
    ["job list model filter", ListJobsRequest, { model: poison }, "model"],
    ["job list cursor", ListJobsRequest, { cursor: poison }, "cursor"],
    ["account name", AdminCreateAccountRequest, { name: poison }, "name"],
    ["key name", AdminCreateKeyRequest, { accountId: "acc_0000000000000000000000zz", name: poison }, "name"],
    [
      "credit reason",
      AdminCreditsRequest,
      { accountId: "acc_0000000000000000000000zz", credits: 5, reason: poison },
      "reason",
    ],
  ] as const)("%s is refused", (_name, schema, input, field) => {
    const result = (
      schema as { safeParse(v: unknown): { success: boolean; error?: { issues: unknown[] } } }
    ).safeParse(input);
    expect(result.success).toBe(false);
    const paths = (result.error!.issues as { path: PropertyKey[] }[]).map((i) =>
      i.path.slice(0, 3).join("."),
    );
    expect(paths.some((p) => p.startsWith(field))).toBe(true);
  });
});
