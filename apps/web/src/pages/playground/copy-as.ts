/** The same request as a curl command, an SDK call and an MCP tool call, to take the playground's work elsewhere. */
export type CopyFormat = "curl" | "sdk" | "mcp";

const TOOL: Record<string, string> = {
  image: "generate_image",
  video: "generate_video",
  audio: "generate_audio",
};

export function copyAs(format: CopyFormat, request: Record<string, unknown>, origin: string): string {
  switch (format) {
    case "curl": {
      const body = JSON.stringify(request).replaceAll("'", `'\\''`);
      return [
        `curl -s -X POST ${origin}/v1/jobs \\`,
        `  -H "Authorization: Bearer $MME_API_KEY" -H "Content-Type: application/json" \\`,
        `  -d '${body}'`,
      ].join("\n");
    }
    case "sdk":
      return [
        `import { MediaEngine } from "@mcpmediaengine/sdk";`,
        "",
        `const engine = new MediaEngine({ apiKey: process.env.MME_API_KEY!, baseUrl: ${JSON.stringify(origin)} });`,
        `const job = await engine.jobs.createAndWait(${JSON.stringify(request, null, 2)});`,
        "console.log(job.result?.assets[0]?.url);",
      ].join("\n");
    case "mcp": {
      const { type, ...args } = request;
      const call = {
        method: "tools/call",
        params: { name: TOOL[String(type)] ?? "generate_image", arguments: args },
      };
      return JSON.stringify(call, null, 2);
    }
  }
}
