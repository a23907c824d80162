import { renderImage } from "@mcpmediaengine/media";
import { MediaEngine } from "@mcpmediaengine/sdk";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer, waitForJob } from "./harness";
import { generateAndWait } from "./mcp-client";

let server: TestServer;
let png: Buffer;

beforeAll(async () => {
  server = await startTestServer();
  png = await renderImage({
    prompt: "a bottle",
    preset: "product_shot",
    width: 320,
    height: 240,
    format: "png",
    seed: 1,
  });
});
afterAll(() => server.stop());

// The harness's api() names JSON for any body; a form must name its own boundary.
const postForm = (form: FormData) =>
  fetch(`${server.url}/v1/uploads`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${server.key}` },
  });
const upload = (body: string | Uint8Array, contentType: string, key?: string | null) =>
  server.api("/v1/uploads", { method: "POST", body, headers: { "content-type": contentType }, key });

test("POST /v1/uploads takes the raw bytes, a multipart form's file, or base64 JSON", async () => {
  const raw = await upload(new Uint8Array(png), "image/png");
  expect(raw.status).toBe(200);
  const kept = (await raw.json()) as { uploadId: string; width: number; height: number; mimeType: string };
  expect(kept).toMatchObject({ width: 320, height: 240, mimeType: "image/png" });
  expect(kept.uploadId).toMatch(/^upl_/);

  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "bottle.png");
  const multipart = await postForm(form);
  expect(multipart.status).toBe(200);
  expect(await multipart.json()).toMatchObject({ width: 320, height: 240 });

  const json = await server.api("/v1/uploads", {
    method: "POST",
    body: JSON.stringify({ data: png.toString("base64") }),
  });
  expect(json.status).toBe(200);
  expect(await json.json()).toMatchObject({ mimeType: "image/png" });

  const got = await server.api(`/v1/uploads/${kept.uploadId}`);
  expect(await got.json()).toMatchObject({ uploadId: kept.uploadId, width: 320 });
  // Another account's upload is not found, by REST as by job.
  const other = await server.newKey();
  expect((await server.api(`/v1/uploads/${kept.uploadId}`, { key: other })).status).toBe(404);
  const job = await server.api("/v1/jobs", {
    method: "POST",
    key: other,
    body: JSON.stringify({ type: "image", prompt: "x", inputImages: [kept.uploadId] }),
  });
  expect(job.status).toBe(404);
});

test("refusals: no key 401, not an image 415, a bad form 400, a missing JSON field 400", async () => {
  expect((await upload(new Uint8Array(png), "image/png", null)).status).toBe(401);
  const text = await upload("hello", "image/png");
  expect(text.status).toBe(415);
  expect(await text.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
  expect((await upload("hello", "text/plain")).status).toBe(415);
  const form = new FormData();
  form.set("image", "not a file");
  const noFile = await postForm(form);
  expect(noFile.status).toBe(400);
  const neither = await server.api("/v1/uploads", { method: "POST", body: "{}" });
  expect(neither.status).toBe(400);
  expect(await neither.json()).toMatchObject({ error: { code: "invalid_request" } });
});

test("a job from an upload: product shot, n images, each a main asset; models list what they take", async () => {
  const kept = (await (await upload(new Uint8Array(png), "image/png")).json()) as { uploadId: string };
  const response = await server.api("/v1/jobs", {
    method: "POST",
    body: JSON.stringify({
      type: "image",
      prompt: "studio shot",
      preset: "product_shot",
      inputImages: [kept.uploadId],
      n: 2,
      aspectRatio: "4:3",
    }),
  });
  expect(response.status).toBe(202);
  const job = (await response.json()) as { jobId: string; cost: { credits: number } };
  expect(job.cost.credits).toBe(2 * 1);
  const done = (await waitForJob(server, job.jobId)) as {
    status: string;
    result: { assets: { role: string; width: number }[] };
  };
  expect(done.status).toBe("completed");
  expect(done.result.assets.filter((a) => a.role === "main").map((a) => a.width)).toEqual([1152, 1152]);

  const models = (await (await server.api("/v1/models")).json()) as {
    data: { id: string; inputs: unknown }[];
  };
  expect(models.data.find((m) => m.id === "local-studio")?.inputs).toMatchObject({
    imageModes: ["edit", "variation", "reference"],
    maxImages: 4,
    mask: true,
  });
  expect(models.data.find((m) => m.id === "local-motion")?.inputs).toMatchObject({ imageToVideo: true });
});

test("MCP: the generate tools take the new fields (from the contract's schemas) and start a job from an upload", async () => {
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${server.key}` } },
    }),
  );
  try {
    const { tools } = await client.listTools();
    const props = (name: string) =>
      Object.keys((tools.find((t) => t.name === name)?.inputSchema.properties ?? {}) as object);
    expect(props("generate_image")).toEqual(
      expect.arrayContaining(["inputImages", "mode", "mask", "n", "aspectRatio", "negativePrompt"]),
    );
    expect(props("generate_video")).toContain("inputImage");
    const kept = (await (await upload(new Uint8Array(png), "image/png")).json()) as { uploadId: string };
    const { job } = await generateAndWait(client, {
      prompt: "studio shot",
      preset: "product_shot",
      inputImages: [kept.uploadId],
      n: 2,
      width: 256,
      height: 256,
    });
    expect(job.status).toBe("completed");
    expect(job.result!.assets.filter((a) => a.role === "main")).toHaveLength(2);
  } finally {
    await client.close();
  }
});

test("SDK: uploads.create takes bytes, a Blob or base64, and a job starts from the upload", async () => {
  const engine = new MediaEngine({ apiKey: server.key, baseUrl: server.url });
  const fromBytes = await engine.uploads.create(png);
  expect(fromBytes).toMatchObject({ mimeType: "image/png", width: 320, height: 240 });
  const fromBlob = await engine.uploads.create(new Blob([new Uint8Array(png)], { type: "image/png" }));
  expect(fromBlob.sha256).toBe(fromBytes.sha256);
  const fromBase64 = await engine.uploads.create({ data: png.toString("base64") });
  expect(fromBase64.bytes).toBe(png.length);
  expect(await engine.uploads.get(fromBytes.uploadId)).toEqual(fromBytes);
  const job = await engine.jobs.createAndWait(
    {
      type: "image",
      prompt: "a card",
      preset: "social_post",
      inputImages: [fromBytes.uploadId],
      width: 256,
      height: 256,
    },
    { intervalMs: 50 },
  );
  expect(job.status).toBe("completed");
  expect(job.input).toMatchObject({ inputImages: [{ uploadId: fromBytes.uploadId }], mode: "edit" });
});
