import { createHash } from "node:crypto";
import { Agent, get } from "node:http";
import { startS3Server } from "@mcpmediaengine/testing/s3";
import { BENCH_KEY, type BenchEngine, startBenchEngine } from "./engine";
import type { BenchPostgres } from "./postgres";
import { percentile } from "./stats";

export interface AssetDownloadResult {
  /** The file's size, the same in both stores. */
  bytes: number;
  /** Median round's throughput through the engine's signed URL, MB/s. */
  s3MbPerSecond: number;
  localMbPerSecond: number;
}

// The same input and seed give the same bytes, so both engines store one and the same file.
const IMAGE = {
  type: "image",
  prompt: "a wide valley at noon",
  width: 2048,
  height: 2048,
  format: "png",
  seed: 7,
};

/**
 * Downloads of one asset through its signed URL (streamed by the engine from its store), from an engine whose
 * store is an S3 bucket (s3rver on loopback, in this process) and from one on the local disk: `count` downloads a
 * round from `clients` clients at once, rounds alternating between the two engines, median round.
 */
export async function benchAssetDownload(
  postgres: BenchPostgres,
  options: { rounds: number; count: number; clients: number },
): Promise<AssetDownloadResult> {
  const s3 = await startS3Server({ bucket: "mme-bench" });
  const engines: BenchEngine[] = [];
  try {
    const s3Engine = await startBenchEngine(await postgres.freshDatabase("download_s3"), "all", {
      clients: options.clients,
      env: s3.env("bench"),
    });
    engines.push(s3Engine);
    const localEngine = await startBenchEngine(await postgres.freshDatabase("download_local"), "all", {
      clients: options.clients,
    });
    engines.push(localEngine);
    const [s3Asset, localAsset] = await Promise.all([assetOf(s3Engine), assetOf(localEngine)]);
    if (s3Asset.sha256 !== localAsset.sha256) throw new Error("the two engines made different files");
    const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
    const round = async (url: string) => {
      const t0 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: options.clients }, async () => {
          while (next++ < options.count) {
            const got = await download(agent, url);
            if (got !== s3Asset.bytes) throw new Error(`a download got ${got} of ${s3Asset.bytes} bytes`);
          }
        }),
      );
      return (s3Asset.bytes * options.count) / 1024 / 1024 / ((performance.now() - t0) / 1000);
    };
    // A verified warm-up of each: the whole file, byte for byte.
    for (const asset of [s3Asset, localAsset]) await checkedDownload(asset);
    const s3Rounds: number[] = [];
    const localRounds: number[] = [];
    for (let i = 0; i < options.rounds; i++) {
      s3Rounds.push(await round(s3Asset.url));
      localRounds.push(await round(localAsset.url));
    }
    agent.destroy();
    return {
      bytes: s3Asset.bytes,
      s3MbPerSecond: percentile(s3Rounds, 0.5),
      localMbPerSecond: percentile(localRounds, 0.5),
    };
  } finally {
    for (const engine of engines) await engine.stop();
    await s3.stop();
  }
}

interface BenchAsset {
  url: string;
  bytes: number;
  sha256: string;
}

async function assetOf(engine: BenchEngine): Promise<BenchAsset> {
  const { jobId } = await engine.submit(IMAGE);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const response = await fetch(`${engine.url}/v1/jobs/${jobId}`, {
      headers: { authorization: `Bearer ${BENCH_KEY}` },
    });
    const job = (await response.json()) as {
      status: string;
      result: { assets: BenchAsset[] } | null;
      error: unknown;
    };
    if (job.status === "completed") return job.result!.assets[0]!;
    if (job.status === "failed" || Date.now() > deadline) {
      throw new Error(`the bench image did not complete: ${JSON.stringify(job.error ?? job.status)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function checkedDownload(asset: BenchAsset): Promise<void> {
  const bytes = Buffer.from(await (await fetch(asset.url)).arrayBuffer());
  if (createHash("sha256").update(bytes).digest("hex") !== asset.sha256) {
    throw new Error(`${asset.url} did not serve the asset's bytes`);
  }
}

/** One GET read to its end; resolves with the bytes received. */
function download(agent: Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (response) => {
      let received = 0;
      response.on("data", (chunk: Buffer) => {
        received += chunk.length;
      });
      response.on("end", () =>
        response.statusCode === 200 ? resolve(received) : reject(new Error(`${url}: ${response.statusCode}`)),
      );
      response.on("error", reject);
    }).on("error", reject);
  });
}
