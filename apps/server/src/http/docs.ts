import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { getAbsoluteFSPath } from "swagger-ui-dist";

const FILES: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

/** The API reference: Swagger UI, served from the package (no CDN), reading /openapi.json. */
export function docsPage(): Response {
  const html = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>MCP Media Engine API</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="/docs/static/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/static/swagger-ui.css">
</head>
<body>
  <div id="ui"></div>
  <script src="/docs/static/swagger-ui-bundle.js"></script>
  <script>SwaggerUIBundle({ url: "/openapi.json", dom_id: "#ui", deepLinking: true, persistAuthorization: true });</script>
</body>
</html>`;
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
}

export async function docsAsset(name: string): Promise<Response | undefined> {
  const type = FILES[name];
  if (!type) return undefined;
  const data = await readFile(join(getAbsoluteFSPath(), name));
  return new Response(data, { headers: { "content-type": type, "cache-control": "public, max-age=86400" } });
}
