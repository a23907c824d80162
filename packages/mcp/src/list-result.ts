import type { JobList } from "@mcpmediaengine/contract";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { assetUri } from "./results";

/**
 * A page of jobs as a tool result that stays small however many jobs it holds: the page as structured content,
 * one line of text per job (not the page's JSON again), and a resource link to each completed job's main file,
 * whose description carries its signed URL. No previews and no file bytes: get_job_status or resources/read
 * give those for the job the model picks.
 */
export function jobListResult(list: JobList): CallToolResult {
  const lines = list.data.map((job) => {
    const main = job.result?.assets.find((a) => a.role === "main") ?? job.result?.assets[0];
    const file = main ? ` ${assetUri(main.assetId)} ${main.url}` : "";
    const error = job.error ? ` ${job.error.code}` : "";
    return `${job.jobId} ${job.type} ${job.status}${error} ${job.createdAt}${file}`;
  });
  const more = list.nextCursor ? `; more with cursor ${list.nextCursor}` : "";
  const content: CallToolResult["content"] = [
    { type: "text", text: [`${list.data.length} jobs, newest first${more}.`, ...lines].join("\n") },
  ];
  for (const job of list.data) {
    const main = job.result?.assets.find((a) => a.role === "main") ?? job.result?.assets[0];
    if (!main) continue;
    content.push({
      type: "resource_link",
      uri: assetUri(main.assetId),
      name: `${job.jobId} ${main.mimeType}`,
      mimeType: main.mimeType,
      description: `The ${main.mimeType} job ${job.jobId} made (${main.bytes} bytes): ${main.url}`,
    });
  }
  return { content, structuredContent: list as unknown as Record<string, unknown> };
}
