import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AppError, type Job } from "@mcpmediaengine/contract";
import {
  createLocalMotionGenerator,
  createLocalStudioGenerator,
  createNoopGenerator,
  renderImage,
} from "@mcpmediaengine/media";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Caller } from "../src/context";
import { createLog } from "../src/logger";
import { canServe } from "../src/models/input-capabilities";
import { ledgerSum } from "../src/repositories/credits";
import { getAccount } from "../src/services/account/get-account";
import { expireAssets } from "../src/services/assets/expire-assets";
import { estimateJob } from "../src/services/jobs/estimate";
import { submitJob } from "../src/services/jobs/submit";
import { createUpload } from "../src/services/uploads/create";
import { getUpload } from "../src/services/uploads/get";
import { startWorker, type WorkerHandle } from "../src/worker/runner";
import { createHarness, ended, type Harness, until } from "./harness";

let h: Harness;
let alice: Caller;
let bob: Caller;
let worker: WorkerHandle;
let server: Server;
let base: string;
const served: Record<string, { status?: number; body: Buffer; headers?: Record<string, string> }> = {};
const fetched: string[] = [];

// Pictures to upload, drawn by local-studio itself (the engine has no image library of its own).
const picture = (format: "png" | "jpeg", width = 300, height = 400) =>
  renderImage({ prompt: "a red bottle", preset: "product_shot", width, height, format, seed: 5 });
let png: Buffer;
let jpeg: Buffer;

beforeAll(async () => {
  png = await picture("png");
  jpeg = await picture("jpeg");
  h = await createHarness([
    createLocalStudioGenerator(),
    createLocalMotionGenerator(),
    createNoopGenerator("other-model"),
  ]);
  alice = await h.newCaller();
  bob = await h.newCaller();
  worker = await startWorker(h.ctx, {
    pool: h.t.pool,
    log: createLog("silent"),
    concurrency: 2,
    recovery: { heartbeatMs: 200, staleAfterMs: 2000 },
  });
  server = createServer((request, response) => {
    fetched.push(request.url ?? "");
    const answer = served[request.url ?? ""] ?? { status: 404, body: Buffer.from("no") };
    response.writeHead(answer.status ?? 200, answer.headers ?? { "content-type": "image/png" });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await worker?.stop();
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("should have been refused"),
    (error: unknown) => {
      expect(error).toBeInstanceOf(AppError);
      return error as AppError;
    },
  );
const submit = (caller: Caller, input: Record<string, unknown>) =>
  submitJob({
    ctx: h.ctx,
    caller,
    scope: h.scope,
    input: { type: "image", prompt: "hot sauce", ...input } as never,
  });

describe("uploads", () => {
  test("keeps an image for the account, its format and size read from its bytes", async () => {
    const upload = await createUpload({ ctx: h.ctx, caller: alice, input: { data: jpeg } });
    expect(upload).toMatchObject({
      width: 300,
      height: 400,
      mimeType: "image/jpeg",
      bytes: jpeg.length,
      sourceUrl: null,
    });
    expect(upload.uploadId).toMatch(/^upl_/);
    expect(await h.ctx.assets.size(upload.sha256)).toBe(jpeg.length);
    // base64 in JSON is the same upload.
    const again = await createUpload({ ctx: h.ctx, caller: alice, input: { data: png.toString("base64") } });
    expect(again).toMatchObject({ mimeType: "image/png", width: 300, height: 400 });
    expect(await getUpload({ ctx: h.ctx, caller: alice, input: { uploadId: upload.uploadId } })).toEqual(
      upload,
    );
  });

  test("another account's upload is not found, to get or to start a job from", async () => {
    const upload = await createUpload({ ctx: h.ctx, caller: alice, input: { data: png } });
    expect(
      (await refusal(getUpload({ ctx: h.ctx, caller: bob, input: { uploadId: upload.uploadId } }))).code,
    ).toBe("not_found");
    const refused = await refusal(submit(bob, { preset: "product_shot", inputImages: [upload.uploadId] }));
    expect(refused).toMatchObject({ code: "not_found", details: { uploadIds: [upload.uploadId] } });
    expect((await ledgerSum(h.t.db, bob.accountId)).balance).toBe(25);
  });

  test("refuses what is not a PNG, JPEG or WebP (415), more than 20 MB (413), and sizes it cannot use (422)", async () => {
    const gif = Buffer.concat([Buffer.from("GIF89a"), png.subarray(6)]);
    expect((await refusal(createUpload({ ctx: h.ctx, caller: alice, input: { data: gif } }))).code).toBe(
      "unsupported_media_type",
    );
    const huge = Buffer.concat([png, Buffer.alloc(20 * 1024 * 1024)]);
    expect((await refusal(createUpload({ ctx: h.ctx, caller: alice, input: { data: huge } }))).code).toBe(
      "payload_too_large",
    );
    const tiny = await picture("png", 8, 8);
    expect(await refusal(createUpload({ ctx: h.ctx, caller: alice, input: { data: tiny } }))).toMatchObject({
      code: "unsupported_input",
      details: { width: 8, height: 8 },
    });
    expect((await refusal(createUpload({ ctx: h.ctx, caller: alice, input: {} as never }))).code).toBe(
      "invalid_request",
    );
  });

  test("a URL is fetched once through the address guard: private addresses are refused unless allowed", async () => {
    served["/photo.png"] = { body: png };
    const refused = await refusal(
      createUpload({ ctx: h.ctx, caller: alice, input: { url: `${base}/photo.png` } }),
    );
    expect(refused.code).toBe("invalid_request");
    expect(refused.message).toMatch(/private or reserved/);
    expect(fetched).toEqual([]);
    h.ctx.webhooks.allowPrivate = true;
    try {
      const upload = await createUpload({ ctx: h.ctx, caller: alice, input: { url: `${base}/photo.png` } });
      expect(upload).toMatchObject({ mimeType: "image/png", sourceUrl: `${base}/photo.png` });
      expect(fetched).toEqual(["/photo.png"]);
      served["/moved"] = { status: 302, body: Buffer.alloc(0), headers: { location: `${base}/photo.png` } };
      expect(
        (await refusal(createUpload({ ctx: h.ctx, caller: alice, input: { url: `${base}/moved` } }))).message,
      ).toMatch(/HTTP 302/);
      served["/big"] = { body: Buffer.alloc(21 * 1024 * 1024) };
      expect(
        (await refusal(createUpload({ ctx: h.ctx, caller: alice, input: { url: `${base}/big` } }))).code,
      ).toBe("payload_too_large");
      expect(
        (await refusal(createUpload({ ctx: h.ctx, caller: alice, input: { url: `${base}/missing` } }))).code,
      ).toBe("invalid_request");
      // A job naming a URL fetches it once, at submission, and keeps it as an upload.
      fetched.length = 0;
      const job = await submit(alice, {
        preset: "product_shot",
        inputImages: [`${base}/photo.png`],
        width: 256,
        height: 256,
      });
      expect(fetched).toEqual(["/photo.png"]);
      const ref = (job.input as { inputImages: { uploadId: string }[] }).inputImages[0]!;
      expect(ref).toMatchObject({ width: 300, height: 400, mimeType: "image/png" });
      expect(
        (await getUpload({ ctx: h.ctx, caller: alice, input: { uploadId: ref.uploadId } })).sourceUrl,
      ).toBe(`${base}/photo.png`);
      await until(h, alice, job.jobId, ended);
      expect(fetched).toEqual(["/photo.png"]);
    } finally {
      h.ctx.webhooks.allowPrivate = false;
    }
  });
});

describe("image jobs with inputs", () => {
  test("a model that cannot do a field answers 422 unsupported_input at submission; conflicting fields are 400", async () => {
    const upload = await createUpload({ ctx: h.ctx, caller: alice, input: { data: png } });
    const small = await createUpload({
      ctx: h.ctx,
      caller: alice,
      input: { data: await picture("png", 100, 100) },
    });
    const cases: [Record<string, unknown>, string][] = [
      [{ model: "other-model", inputImages: [upload.uploadId] }, "unsupported_input"],
      [{ model: "other-model", n: 2 }, "unsupported_input"],
      [{ negativePrompt: "blur" }, "unsupported_input"],
      [{ inputImages: [upload.uploadId], mask: small.uploadId }, "unsupported_input"],
      [{ inputImages: [upload.uploadId], mask: upload.uploadId, mode: "variation" }, "invalid_request"],
      [{ model: "other-model", inputImages: [upload.uploadId], mask: upload.uploadId }, "unsupported_input"],
      [{ inputImages: [upload.uploadId, upload.uploadId] }, "unsupported_input"],
      [{ aspectRatio: "16:9", width: 512 }, "invalid_request"],
      [{ mode: "edit" }, "invalid_request"],
      [{ n: 5 }, "invalid_request"],
      [{ inputImages: ["ftp://example.com/a.png"] }, "invalid_request"],
    ];
    for (const [input, code] of cases)
      expect((await refusal(submit(alice, input))).code, JSON.stringify(input)).toBe(code);
    expect(() =>
      estimateJob({ ctx: h.ctx, input: { type: "image", prompt: "x", negativePrompt: "y" } }),
    ).toThrow(/takes no negativePrompt/);
  });

  test("aspectRatio sizes the image; n multiplies the cost, in the estimate as in the hold", async () => {
    const wide = await submit(alice, { aspectRatio: "21:9" });
    expect(wide.input).toMatchObject({ width: 1344, height: 576 });
    const estimate = estimateJob({
      ctx: h.ctx,
      input: { type: "image", prompt: "x", width: 1200, height: 1200, n: 3 },
    });
    expect(estimate.credits).toBe(2 * 3);
    await until(h, alice, wide.jobId, ended);
  });

  test("n images from an upload: one job, n main assets, charged n times; a failed one gives it all back", async () => {
    const caller = await h.newCaller();
    const upload = await createUpload({ ctx: h.ctx, caller, input: { data: jpeg } });
    const job = await submit(caller, {
      preset: "product_shot",
      inputImages: [upload.uploadId],
      mode: "reference",
      n: 3,
      width: 512,
      height: 512,
    });
    expect(job.cost.credits).toBe(3);
    expect(job.input).toMatchObject({
      n: 3,
      mode: "reference",
      inputImages: [{ uploadId: upload.uploadId, width: 300, height: 400, mimeType: "image/jpeg" }],
    });
    expect(await getAccount({ ctx: h.ctx, caller })).toMatchObject({ balance: 22, held: 3 });
    const done: Job = await until(h, caller, job.jobId, ended);
    expect(done.status).toBe("completed");
    const mains = done.result!.assets.filter((a) => a.role === "main");
    expect(mains).toHaveLength(3);
    expect(new Set(mains.map((a) => a.sha256)).size).toBe(3);
    expect(mains.every((a) => a.width === 512 && a.height === 512)).toBe(true);
    expect(await getAccount({ ctx: h.ctx, caller })).toMatchObject({ balance: 22, held: 0 });

    // The upload's object gone from the store: the job fails for good and its whole hold comes back.
    await h.ctx.assets.delete(upload.sha256);
    const lost = await submit(caller, { inputImages: [upload.uploadId], n: 2, width: 256, height: 256 });
    expect(await getAccount({ ctx: h.ctx, caller })).toMatchObject({ balance: 20, held: 2 });
    const failed = await until(h, caller, lost.jobId, ended);
    expect(failed).toMatchObject({ status: "failed", error: { code: "generation_failed" } });
    expect(await getAccount({ ctx: h.ctx, caller })).toMatchObject({ balance: 22, held: 0 });
    const { ledger, balance } = await ledgerSum(h.t.db, caller.accountId);
    expect(balance).toBe(ledger);
  });

  test("a video job animates an uploaded still", async () => {
    const upload = await createUpload({ ctx: h.ctx, caller: alice, input: { data: png } });
    const job = await submitJob({
      ctx: h.ctx,
      caller: alice,
      scope: h.scope,
      input: {
        type: "video",
        prompt: "hot sauce",
        durationSeconds: 1,
        aspectRatio: "1:1",
        inputImage: upload.uploadId,
      },
    });
    expect(job.input).toMatchObject({ inputImage: { uploadId: upload.uploadId } });
    const done = await until(h, alice, job.jobId, ended, 60_000);
    expect(done.status).toBe("completed");
    expect(done.result!.assets.map((a) => a.role).sort()).toEqual(["main", "poster"]);
  });
});

test("retention never deletes an object an upload refers to", async () => {
  const caller = await h.newCaller();
  const made = await submit(caller, { width: 128, height: 128, seed: 77 });
  const done = await until(h, caller, made.jobId, ended);
  const asset = done.result!.assets[0]!;
  // The account uploads the very bytes the job made; then the job's asset grows old and is deleted.
  const chunks: Buffer[] = [];
  for await (const chunk of await h.ctx.assets.read(asset.sha256)) chunks.push(chunk as Buffer);
  const upload = await createUpload({ ctx: h.ctx, caller, input: { data: Buffer.concat(chunks) } });
  expect(upload.sha256).toBe(asset.sha256);
  h.ctx.assetRetentionMs = 1000;
  try {
    const run = await expireAssets({ ctx: h.ctx, now: new Date(Date.now() + 60_000) });
    expect(run.expired).toBeGreaterThan(0);
    expect(await h.ctx.assets.size(asset.sha256)).toBe(asset.bytes);
    // The upload still starts a job.
    const again = await submit(caller, { inputImages: [upload.uploadId], width: 128, height: 128 });
    expect((await until(h, caller, again.jobId, ended)).status).toBe("completed");
  } finally {
    h.ctx.assetRetentionMs = undefined;
  }
});

test("a fallback is used only when it can do what the job asks", () => {
  const ref = { uploadId: "upl_x", width: 10, height: 10, mimeType: "image/png" };
  expect(canServe("stable-diffusion", { prompt: "x", n: 2, negativePrompt: "y" })).toBe(true);
  // Either backend of stable-diffusion does image-to-image with one image, in every mode, and a mask.
  expect(canServe("stable-diffusion", { prompt: "x", inputImages: [ref], mode: "variation" })).toBe(true);
  expect(canServe("stable-diffusion", { prompt: "x", inputImages: [ref], mode: "edit", mask: ref })).toBe(
    true,
  );
  expect(canServe("stable-diffusion", { prompt: "x", inputImages: [ref, ref], mode: "reference" })).toBe(
    false,
  );
  expect(canServe("flux-2-turbo", { prompt: "x", inputImages: [ref, ref], mode: "reference", n: 4 })).toBe(
    true,
  );
  expect(canServe("flux-2-turbo", { prompt: "x", inputImages: [ref], mode: "variation" })).toBe(false);
  expect(canServe("gpt-image-2", { prompt: "x", inputImages: [ref], mode: "edit", mask: ref })).toBe(true);
  expect(canServe("seedance-video", { prompt: "x", inputImage: ref })).toBe(true);
  expect(canServe("other-model", { prompt: "x" })).toBe(true);
  expect(canServe("other-model", { prompt: "x", n: 2 })).toBe(false);
});
