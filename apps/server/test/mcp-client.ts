import type { Job } from "@mcpmediaengine/contract";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** A tool call's result, typed as the tools return it. */
export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** generate_image, then wait_for_job until the job has ended; the final result. */
export async function generateAndWait(client: Client, args: Record<string, unknown>) {
  const submitted = await callTool(client, "generate_image", args);
  if (submitted.isError) throw new Error(`generate_image failed: ${JSON.stringify(submitted.content)}`);
  const { jobId } = submitted.structuredContent as unknown as Job;
  for (let i = 0; i < 20; i++) {
    const waited = await callTool(client, "wait_for_job", { jobId, timeoutSeconds: 5 });
    const job = waited.structuredContent as unknown as Job;
    if (["completed", "failed", "canceled"].includes(job.status)) return { submitted, waited, job };
  }
  throw new Error(`job ${jobId} did not end`);
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(data: Buffer): { width: number; height: number } {
  if (data.subarray(1, 4).toString("latin1") !== "PNG") throw new Error("not a PNG");
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}
