import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { copyAs } from "./copy-as";

const request = { type: "image", prompt: "It's a test", preset: "blog_thumbnail", seed: 7 };

describe("copy as", () => {
  it("writes a curl command whose body a shell passes through unchanged", () => {
    const command = copyAs("curl", request, "http://127.0.0.1:8787");
    expect(command).toContain("POST http://127.0.0.1:8787/v1/jobs");
    // The -d argument, as a shell reads it, is the request's JSON (the quote in the prompt survives).
    const body = execFileSync("bash", ["-c", `set -- ${command.split("-d ")[1]}; printf %s "$1"`]).toString();
    expect(JSON.parse(body)).toEqual(request);
  });

  it("calls the SDK with the same request", () => {
    const code = copyAs("sdk", request, "https://media.example.com");
    expect(code).toContain('baseUrl: "https://media.example.com"');
    const json = code.slice(code.indexOf("createAndWait(") + 14, code.lastIndexOf(");\nconsole"));
    expect(JSON.parse(json)).toEqual(request);
  });

  it("names the MCP tool of the type and leaves the type out of its arguments", () => {
    const call = JSON.parse(copyAs("mcp", { ...request, type: "audio" }, ""));
    expect(call.params.name).toBe("generate_audio");
    expect(call.params.arguments).toEqual({ prompt: "It's a test", preset: "blog_thumbnail", seed: 7 });
  });
});
