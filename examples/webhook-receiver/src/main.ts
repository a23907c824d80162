import { MediaEngine } from "@mcpmediaengine/sdk";
import { startWebhookReceiver } from "./receiver";

// The signing secret: MME_WEBHOOK_SECRET, else the account's default secret read with the API key.
async function signingSecret(): Promise<string> {
  if (process.env.MME_WEBHOOK_SECRET) return process.env.MME_WEBHOOK_SECRET;
  const apiKey = process.env.MME_API_KEY;
  const baseUrl = process.env.MME_API_URL;
  if (!apiKey || !baseUrl) {
    console.error("Set MME_WEBHOOK_SECRET, or MME_API_URL and MME_API_KEY to read the account's secret.");
    process.exit(1);
  }
  return (await new MediaEngine({ apiKey, baseUrl }).webhooks.secret.get()).secret;
}

const receiver = await startWebhookReceiver({
  secret: await signingSecret(),
  port: Number(process.env.PORT ?? 4000),
  host: process.env.HOST ?? "127.0.0.1",
  onEvent: (event) => {
    if (event.type === "batch.completed") {
      const { batchId, counts, credits } = event.data.batch;
      console.log(
        `${event.id} ${event.type} ${batchId}: ${counts.completed} completed, ${counts.failed} failed, ${counts.canceled} canceled, ${credits.spent} credits`,
      );
    } else {
      const { job } = event.data;
      const urls = job.result?.assets.map((a) => a.url).join(" ") ?? job.error?.message ?? "";
      console.log(`${event.id} ${event.type} ${job.jobId} ${urls}`);
    }
  },
  onRejected: (reason) => console.log(`rejected a delivery: ${reason}`),
});
console.log(`Receiving webhooks at ${receiver.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void receiver.close().then(() => process.exit(0)));
