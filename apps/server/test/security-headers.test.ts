import { Hono } from "hono";
import { expect, test } from "vitest";
import { contentSecurityPolicy, securityHeaders } from "../src/http/security-headers";

/** The policy as directive name → sources. */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy.split(";").map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

test("the console's pages go out with a policy that allows only our own origin, and the other headers", async () => {
  const app = new Hono();
  app.use("*", securityHeaders());
  app.get("/", (c) => c.html("<!doctype html><title>console</title>"));
  const response = await app.request("/");
  const csp = directives(response.headers.get("content-security-policy")!);
  expect(csp["default-src"]).toEqual(["'self'"]);
  expect(csp["script-src"]).toEqual(["'self'"]);
  expect(csp["connect-src"]).toEqual(["'self'"]);
  expect(csp["frame-ancestors"]).toEqual(["'none'"]);
  expect(csp["object-src"]).toEqual(["'none'"]);
  expect(csp["img-src"]).toEqual(["'self'", "blob:", "data:"]);
  // Nothing anywhere allows inline scripts, eval or another host.
  expect(JSON.stringify(csp)).not.toMatch(/unsafe|\*|https?:/);
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("same-origin");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
});

test("an asset host (an object store) can be allowed for media only", () => {
  const csp = directives(contentSecurityPolicy({ mediaOrigins: ["https://assets.example.com"] }));
  expect(csp["img-src"]).toContain("https://assets.example.com");
  expect(csp["media-src"]).toContain("https://assets.example.com");
  expect(csp["script-src"]).toEqual(["'self'"]);
  expect(csp["connect-src"]).toEqual(["'self'"]);
});
