import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** The ui:// resource's URI: one view for every tool that links it (it tells a job from a list by the result). */
export const APP_URI = "ui://mcp-media-engine/gallery.html";

/** The MIME type MCP Apps hosts look for (ext-apps' RESOURCE_MIME_TYPE). */
export const APP_MIME_TYPE = "text/html;profile=mcp-app";

/** Where `vite build` writes the app, as one HTML file. */
export const APP_HTML_PATH = fileURLToPath(new URL("../dist/index.html", import.meta.url));

/** Beside the bundled CLI (dist/cli.js), which the npm package ships with the app copied next to it. */
const BUNDLED_HTML_PATH = fileURLToPath(new URL("./mcp-app.html", import.meta.url));

/**
 * The built app's HTML: this package's build, or the copy beside the bundled CLI. Throws when it was never
 * built (turbo builds it before `pnpm start` and `pnpm test`).
 */
export async function readAppHtml(): Promise<string> {
  for (const path of [BUNDLED_HTML_PATH, APP_HTML_PATH]) {
    const html = await readFile(path, "utf8").catch(() => undefined);
    if (html !== undefined) return html;
  }
  throw new Error(
    `The MCP app is not built (${APP_HTML_PATH}): run pnpm --filter @mcpmediaengine/mcp-app build.`,
  );
}
