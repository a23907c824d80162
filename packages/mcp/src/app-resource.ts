import { APP_MIME_TYPE, APP_URI, readAppHtml } from "@mcpmediaengine/mcp-app";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { MediaBackend } from "./backend";

/**
 * What a tool's `_meta` carries to link the in-chat gallery (MCP Apps): `ui.resourceUri`, and the flat
 * `ui/resourceUri` key hosts of the extension's first drafts read.
 */
export const APP_LINK = { ui: { resourceUri: APP_URI }, "ui/resourceUri": APP_URI };

/**
 * The gallery as the `ui://` resource the linked tools name: one self-contained HTML file (packages/mcp-app),
 * with the CSP it needs declared: media (images, clips, speech) from the origin of the backend's asset URLs,
 * and no network connections (it reaches our tools only through the host).
 */
export function registerAppResource(server: McpServer, backend: MediaBackend): void {
  const ui = {
    csp: { resourceDomains: backend.assetOrigins ?? [], connectDomains: [] },
    prefersBorder: true,
  };
  server.registerResource(
    "gallery",
    APP_URI,
    {
      title: "Media gallery",
      description:
        "The in-chat view of a job (live progress, the image, clip or speech, cancel, download, another seed) and of list_jobs as a grid.",
      mimeType: APP_MIME_TYPE,
      _meta: { ui },
    },
    async (uri) => ({
      contents: [{ uri: uri.href, mimeType: APP_MIME_TYPE, text: await readAppHtml(), _meta: { ui } }],
    }),
  );
}
