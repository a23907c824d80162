import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { MediaEngine } from "@mcpmediaengine/sdk";
import { articleMarkdown, writeArticle } from "./article";

const apiKey = process.env.MME_API_KEY;
const baseUrl = process.env.MME_API_URL ?? "http://127.0.0.1:8787";
if (!apiKey) {
  console.error("Set MME_API_KEY (the key the engine printed when it first started).");
  process.exit(1);
}

const topic = process.argv[2] ?? "How we cut our build times in half";
const outDir = resolve(process.env.OUT_DIR ?? "out");
const engine = new MediaEngine({ apiKey, baseUrl });

// 1. Write the article.
const article = writeArticle(topic);
console.log(`Article: ${article.title}`);

// 2. Ask for its hero image: blog_thumbnail is a 1200×630 card with the title typeset on it. The model is the
//    engine's default (offline) unless MME_MODEL names another. A fixed seed makes the same article give the same image.
const job = await engine.jobs.createAndWait(
  {
    type: "image",
    prompt: article.title,
    preset: "blog_thumbnail",
    seed: 42,
    ...(process.env.MME_MODEL && { model: process.env.MME_MODEL }),
    metadata: { article: article.slug },
  },
  {
    timeoutMs: 5 * 60_000,
    onUpdate: (j) => console.log(`  ${j.jobId} ${j.status}`),
  },
);
if (job.status !== "completed") {
  console.error(`The hero image ${job.status}: ${job.error?.code ?? ""} ${job.error?.message ?? ""}`);
  process.exit(1);
}

// 3. Save it next to the article. The asset URL is signed: it downloads without the API key.
const hero = job.result!.assets[0]!;
const response = await fetch(hero.url);
if (!response.ok) throw new Error(`Downloading the hero image answered ${response.status}.`);
const dir = join(outDir, article.slug);
await mkdir(dir, { recursive: true });
const heroFile = `hero.${hero.mimeType.split("/")[1] ?? "png"}`;
await writeFile(join(dir, heroFile), Buffer.from(await response.arrayBuffer()));
await writeFile(join(dir, "article.md"), articleMarkdown(article, heroFile, hero.url));
console.log(
  `Saved ${join(dir, "article.md")} and ${join(dir, heroFile)} (${hero.width}×${hero.height}, ${job.cost.credits} credit${job.cost.credits === 1 ? "" : "s"})`,
);
