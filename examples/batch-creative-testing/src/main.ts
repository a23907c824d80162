import { startWebhookReceiver } from "@mcpmediaengine/example-webhook-receiver";
import { MediaEngine } from "@mcpmediaengine/sdk";
import { BatchCollector } from "./collect";
import { variantTable } from "./report";

const apiKey = process.env.MME_API_KEY;
const baseUrl = process.env.MME_API_URL ?? "http://127.0.0.1:8787";
if (!apiKey) {
  console.error("Set MME_API_KEY (the key the engine printed when it first started).");
  process.exit(1);
}
const engine = new MediaEngine({ apiKey, baseUrl });

// The receiver verifies every delivery with the account's signing secret.
const collector = new BatchCollector();
const { secret } = await engine.webhooks.secret.get();
const receiver = await startWebhookReceiver({
  secret,
  port: Number(process.env.PORT ?? 0),
  onEvent: (event) => collector.take(event),
  onRejected: (reason) => console.error(`rejected a delivery: ${reason}`),
});
// An engine elsewhere needs an address it can reach (a tunnel, say); a local one reaches this machine directly.
const webhookUrl = process.env.WEBHOOK_PUBLIC_URL ?? receiver.url;
console.log(`Receiving webhooks at ${receiver.url}`);

try {
  // Two headlines × two presets × two seeds: eight variants, one request, credits held for all at once.
  const batch = await engine.batches.create({
    matrix: {
      prompts: ["Spring sale: 30% off everything", "New: the lightweight trail runner"],
      presets: ["social_post", "product_shot"],
      seeds: [1, 2],
    },
    defaults: { type: "image", webhookUrl },
    webhookUrl,
    metadata: { campaign: "spring-creative-test" },
  });
  collector.expect(batch.batchId, batch.jobIds);
  console.log(`Batch ${batch.batchId}: ${batch.jobCount} variants, ${batch.credits.held} credits held`);

  const { batch: ended, jobs } = await collector.done(5 * 60_000);
  console.log(`\n${variantTable(ended, jobs)}`);
} finally {
  await receiver.close();
}
