import type { Job } from "@mcpmediaengine/contract";
import { createTRPCClient, httpLink } from "@trpc/client";
import { imageSize } from "image-size";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { AppRouter } from "../src/trpc/router";
import { startTestServer, type TestServer, waitForJob } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

test("a blog_thumbnail job goes from submission to a downloadable 1200×630 PNG", async () => {
  const submitted = await server.api("/v1/jobs", {
    method: "POST",
    body: JSON.stringify({
      type: "image",
      prompt: "Ten lessons from a year of shipping agents",
      preset: "blog_thumbnail",
    }),
  });
  expect(submitted.status).toBe(202);
  const accepted = (await submitted.json()) as Job;
  expect(accepted).toMatchObject({ status: "queued", type: "image", model: "local-studio" });
  expect(accepted.jobId).toMatch(/^job_/);

  const job = (await waitForJob(server, accepted.jobId)) as unknown as Job;
  expect(job.status).toBe("completed");
  expect(job.startedAt).not.toBeNull();
  expect(job.completedAt).not.toBeNull();
  const asset = job.result!.assets[0]!;
  expect(asset).toMatchObject({ mimeType: "image/png", width: 1200, height: 630 });
  expect(asset.url.startsWith(`${server.url}/assets/`)).toBe(true);

  // The URL works without the API key.
  const download = await fetch(asset.url);
  expect(download.status).toBe(200);
  expect(download.headers.get("content-type")).toBe("image/png");
  expect(download.headers.get("etag")).toBe(`"${asset.sha256}"`);
  expect(Number(download.headers.get("content-length"))).toBe(asset.bytes);
  const bytes = Buffer.from(await download.arrayBuffer());
  expect(bytes.length).toBe(asset.bytes);
  expect(imageSize(bytes)).toMatchObject({ type: "png", width: 1200, height: 630 });

  const revalidated = await fetch(asset.url, { headers: { "if-none-match": `"${asset.sha256}"` } });
  expect(revalidated.status).toBe(304);
  const ranged = await fetch(asset.url, { headers: { range: "bytes=0-7" } });
  expect(ranged.status).toBe(206);
  expect(ranged.headers.get("content-range")).toBe(`bytes 0-7/${asset.bytes}`);
  expect(Buffer.from(await ranged.arrayBuffer())).toEqual(bytes.subarray(0, 8));
  const beyond = await fetch(asset.url, { headers: { range: `bytes=${asset.bytes}-` } });
  expect(beyond.status).toBe(416);

  const forged = new URL(asset.url);
  forged.searchParams.set("sig", "A".repeat(32));
  const refused = await fetch(forged);
  expect(refused.status).toBe(404);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("not_found");
  const unsigned = await fetch(asset.url.split("?")[0]!);
  expect(unsigned.status).toBe(404);
});

test("the same input and seed give the same bytes", async () => {
  const body = JSON.stringify({ type: "image", prompt: "Deterministic", preset: "social_post", seed: 1234 });
  const ids = await Promise.all(
    [1, 2].map(
      async () => ((await (await server.api("/v1/jobs", { method: "POST", body })).json()) as Job).jobId,
    ),
  );
  const jobs = await Promise.all(ids.map((id) => waitForJob(server, id) as unknown as Promise<Job>));
  expect(jobs[0]!.result!.assets[0]!.sha256).toBe(jobs[1]!.result!.assets[0]!.sha256);
});

test("tRPC serves the same jobs as REST", async () => {
  const client = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${server.url}/trpc`, headers: { authorization: `Bearer ${server.key}` } })],
  });
  const created = await client.jobs.create.mutate({ type: "image", prompt: "via trpc", model: "dev-noop" });
  const job = (await waitForJob(server, created.jobId)) as unknown as Job;
  const viaTrpc = await client.jobs.get.query({ jobId: created.jobId });
  expect(viaTrpc).toEqual(job);
  const list = await client.jobs.list.query({ limit: 1 });
  expect(list.data[0]?.jobId).toBe(created.jobId);
  await expect(client.jobs.get.query({ jobId: "job_0000000000000000000000zz" })).rejects.toMatchObject({
    data: { httpStatus: 404, error: { code: "not_found" } },
  });
});

test("health, the OpenAPI document and the reference page are served", async () => {
  expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
  const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { servers: { url: string }[] };
  expect(doc.servers[0]?.url).toBe(`${server.url}/v1`);
  const page = await fetch(`${server.url}/docs`);
  expect(await page.text()).toContain("/openapi.json");
  expect((await fetch(`${server.url}/docs/static/swagger-ui-bundle.js`)).status).toBe(200);
});
