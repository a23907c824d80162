import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { MediaBackend } from "./backend";

/** Jobs (`job://{jobId}`, the job as JSON) and assets (`asset://{assetId}`, the file) as MCP resources. */
export function registerResources(server: McpServer, backend: MediaBackend): void {
  server.registerResource(
    "job",
    new ResourceTemplate("job://{jobId}", { list: undefined }),
    {
      title: "A job",
      description: "A job and its outcome, as GET /v1/jobs/{jobId} shows it.",
      mimeType: "application/json",
    },
    async (uri, { jobId }) => {
      const job = await backend.getJob(String(jobId));
      return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(job) }] };
    },
  );
  server.registerResource(
    "asset",
    new ResourceTemplate("asset://{assetId}", { list: undefined }),
    { title: "An asset", description: "A file a job made: an image, a clip or a recording." },
    async (uri, { assetId }) => {
      const asset = await backend.readAsset(String(assetId));
      return { contents: [{ uri: uri.href, mimeType: asset.mimeType, blob: asset.data.toString("base64") }] };
    },
  );
}
